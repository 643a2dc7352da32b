/**
 * Connecting tools: the landing-page form snippet and the setup guides (Zapier, Make, Typeform,
 * Google Forms, Loops) from the shared landing-page kit, one tab each.
 */
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import type { EndpointListing } from '../../../../shared/api/models.js';
import { landingKit, type EndpointKit, type SetupGuide } from '../../../../shared/landing-kit.js';
import { useApiQuery } from '../../api/queries.js';
import { CopyButton } from '../../components/CopyField.js';
import { Card, Notice } from '../../components/Layout.js';
import { OutsideAddress } from './OutsideAddress.js';

interface Tab {
  id: string;
  title: string;
  body: ReactNode;
}

function Snippet({ title, code }: { title: string; code: string }) {
  return (
    <div className="snippet-block">
      <div className="snippet-head">
        <h3>{title}</h3>
        <CopyButton value={code} label={`Copy: ${title}`} size="sm" />
      </div>
      <pre className="json-block snippet" tabIndex={0} aria-label={title}>
        {code}
      </pre>
    </div>
  );
}

function FormTab({ kit }: { kit: EndpointKit }) {
  // A form or script carrying this computer's address would post where no visitor can reach.
  if (!kit.public) {
    return (
      <div className="guide">
        <OutsideAddress url={null} label="Copy the sign-up address" forWhat="Your landing page" />
      </div>
    );
  }
  return (
    <div className="guide">
      <p>Paste this form into your landing page (most page builders have an "HTML" or "Embed code" block). Sign-ups arrive in Leadbell at once.</p>
      {kit.warning && <Notice tone="warn">{kit.warning}</Notice>}
      <OutsideAddress url={kit.url} label="Copy the sign-up address" forWhat="Your landing page" />
      {kit.form_html && <Snippet title="Sign-up form (HTML)" code={kit.form_html} />}
      {kit.fetch_snippet && (
        <details>
          <summary>Already have a form? Send it with this script instead</summary>
          <Snippet title="Script for your own form" code={kit.fetch_snippet} />
        </details>
      )}
      {kit.browser_note && <Notice tone="info">{kit.browser_note}</Notice>}
    </div>
  );
}

/** `url`: the endpoint's public address; a guide's own falls back to this computer's, never offered to a tool. */
function GuideTab({ guide, url }: { guide: SetupGuide; url: string | null }) {
  return (
    <div className="guide">
      <OutsideAddress url={url} label={`Copy the address for ${guide.title}`} forWhat={guide.title.split(':')[0]} />
      {guide.signature.change_needed && <Notice tone="warn">{guide.signature.explanation}</Notice>}
      <ol>
        {guide.steps.map((s) => (
          <li key={s}>{url ? s : s.replaceAll(guide.url, 'your public address')}</li>
        ))}
      </ol>
      {guide.fields.length > 0 && (
        <table className="kv-table fields-table">
          <caption className="sr-only">Fields to send</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">What goes in it</th>
            </tr>
          </thead>
          <tbody>
            {guide.fields.map((f) => (
              <tr key={f.name}>
                <th scope="row">
                  {f.name}
                  {f.required && <span className="muted"> (required)</span>}
                </th>
                <td>{f.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {guide.code && <Snippet title={`${guide.title.split(':')[0]} script`} code={guide.code} />}
      {guide.note && <p className="muted small">{guide.note}</p>}
    </div>
  );
}

export function SetupSection({ endpoints, embedded }: { endpoints: EndpointListing[]; embedded?: boolean }) {
  const settings = useApiQuery('getSettings', {});
  const [current, setCurrent] = useState(0);
  const receiver = settings.data?.settings.receiver;
  if (!endpoints.length || !receiver) return null;
  const kit = landingKit(endpoints, { honeypot_field: receiver.honeypot_field, thank_you_url: receiver.thank_you_url });
  const optin = kit.endpoints.find((e) => e.endpoint === 'lead-optin');
  const tabs: Tab[] = [
    ...(optin ? [{ id: 'form', title: 'Website form', body: <FormTab kit={optin} /> }] : []),
    ...kit.guides.map((g) => ({
      id: g.tool,
      title: g.title.split(':')[0]!,
      body: <GuideTab guide={g} url={endpoints.find((e) => e.name === g.endpoint)?.public_url ?? null} />,
    })),
  ];
  const index = Math.min(current, tabs.length - 1);
  const tab = tabs[index];
  if (!tab) return null;
  const onKey = (e: KeyboardEvent) => {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = (index + delta + tabs.length) % tabs.length;
    setCurrent(next);
    document.getElementById(`guide-tab-${next}`)?.focus();
  };
  const guides = (
    <>
      <div role="tablist" aria-label="Setup guides" className="tabs" onKeyDown={onKey}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            id={`guide-tab-${i}`}
            role="tab"
            type="button"
            className="tab"
            aria-selected={i === index}
            aria-controls="guide-panel"
            tabIndex={i === index ? 0 : -1}
            onClick={() => setCurrent(i)}
          >
            {t.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="guide-panel" aria-labelledby={`guide-tab-${index}`}>
        {tab.body}
      </div>
    </>
  );
  if (embedded) return guides;
  return (
    <Card title="Connect your tools" subtitle="Pick what you use; each takes a couple of minutes." labelledBy="setup-title">
      {guides}
    </Card>
  );
}

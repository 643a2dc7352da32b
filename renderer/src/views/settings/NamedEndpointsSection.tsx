/**
 * An address per form: the owner adds "Spring promo form" or "Booking page", each with the kind of
 * request it receives, a segment and source for its leads, its own signature settings and secret,
 * its own URL with a Copy button, and where to paste it in the usual tools.
 */
import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract.js';
import type { EndpointListing } from '../../../../shared/api/models.js';
import { ENDPOINT_INFO, ENDPOINTS, type EndpointName } from '../../../../shared/events/catalog.js';
import { endpointSteps } from '../../../../shared/endpoint-steps.js';
import { SIGNATURE_SCHEMES, type NamedEndpoint, type SignatureScheme } from '../../../../shared/settings.js';
import { errorMessage, fieldErrors } from '../../api/errors.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { CopyField } from '../../components/CopyField.js';
import { Field, Switch } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { SecretField } from '../integrations/SecretField.js';
import { KEY_RULES, SCHEME_WORDS } from './EndpointsSection.js';

/** What each kind of address makes, in the owner's words. */
const KIND_WORDS: Record<EndpointName, string> = {
  'lead-optin': 'Sign-ups (a new lead)',
  assessment: 'Quiz or assessment results',
  'sales-page-visit': 'Sales-page visits',
  'email-engagement': 'Email opens and clicks',
  events: 'Any event',
};

/** "Spring promo form" → "spring-promo-form". */
export function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

type Save = (list: NamedEndpoint[], done?: () => void) => void;

function useSaveList(): { save: Save; pending: boolean; errors: Record<string, string> } {
  const mutation = useApiMutation('updateSettings', ['getSettings', 'listEndpoints']);
  const { push } = useToasts();
  return {
    save: (list, done) =>
      mutation.mutate(
        { receiver: { named_endpoints: list } },
        { onSuccess: () => done?.(), onError: (e) => push({ tone: 'bad', title: 'Could not save', body: errorMessage(e) }) },
      ),
    pending: mutation.isPending,
    errors: mutation.error ? fieldErrors(mutation.error) : {},
  };
}

function Address({ listing }: { listing: EndpointListing | undefined }) {
  if (!listing) return null;
  if (listing.public_url) return <CopyField value={listing.public_url} label={`Copy the ${listing.title} address`} />;
  return (
    <>
      <Notice tone="warn" title="Your tools cannot reach this address yet">
        It works on this computer only. Turn on the public address (or the always-on address) above, and the address to paste into your tools shows here.
      </Notice>
      <CopyField value={listing.local_url} label={`Copy the ${listing.title} address for this computer only`} />
    </>
  );
}

function NamedRow({ ep, list, listing, secrets }: { ep: NamedEndpoint; list: NamedEndpoint[]; listing: EndpointListing | undefined; secrets: MethodOutput<'getSettings'>['secrets'] }) {
  const { save } = useSaveList();
  const [segment, setSegment] = useState(ep.segment ?? '');
  const [source, setSource] = useState(ep.source ?? '');
  const patch = (p: Partial<NamedEndpoint>) => save(list.map((e) => (e.slug === ep.slug ? { ...e, ...p } : e)));
  // Both texts at once: a second save made before the first one's answer must not undo it.
  const saveTexts = () => {
    if (segment !== (ep.segment ?? '') || source !== (ep.source ?? '')) patch({ segment: segment || null, source: source || null });
  };
  const remove = () => {
    if (window.confirm(`Remove the address for "${ep.name}"? Requests sent to it afterwards are refused.`)) save(list.filter((e) => e.slug !== ep.slug));
  };
  return (
    <details className="accordion-item" data-testid="named-endpoint">
      <summary>
        <strong>{ep.name}</strong>
        <span className="muted small">
          {KIND_WORDS[ep.kind]} · {ep.enabled ? `/api/webhooks/${ep.slug}` : 'Off'}
        </span>
      </summary>
      <div className="form-grid">
        <div className="form-grid-wide">
          <Address listing={listing} />
        </div>
        <Field label="Receives" hint="Which automations its requests start.">
          {(p) => (
            <select {...p} value={ep.kind} onChange={(e) => patch({ kind: e.target.value as EndpointName })}>
              {ENDPOINTS.map((k) => (
                <option key={k} value={k}>
                  {KIND_WORDS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Segment" hint="Given to its leads when the form does not say, e.g. beauty-salon.">
          {(p) => <input {...p} value={segment} maxLength={100} onChange={(e) => setSegment(e.target.value)} onBlur={saveTexts} />}
        </Field>
        <Field label="Source" hint="Where its leads come from, when the form does not say, e.g. spring-promo.">
          {(p) => <input {...p} value={source} maxLength={200} onChange={(e) => setSource(e.target.value)} onBlur={saveTexts} />}
        </Field>
        <Switch label="Accept requests" checked={ep.enabled} onChange={(v) => patch({ enabled: v })} />
        <Switch
          label="Used by a form in a web browser"
          checked={ep.public_form}
          onChange={(v) => patch({ public_form: v })}
          description="Browsers cannot keep a secret, so no signature is checked; allowed websites, a spam trap and the rate limit protect it."
        />
        <Field label="Signature check" hint={`How Leadbell makes sure a request really comes from your tool. ${KEY_RULES[ep.signature]}`}>
          {(p) => (
            <select {...p} value={ep.signature} disabled={ep.public_form} onChange={(e) => patch({ signature: e.target.value as SignatureScheme })}>
              {SIGNATURE_SCHEMES.map((s) => (
                <option key={s} value={s}>
                  {SCHEME_WORDS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <SecretField
          name={`webhook.${ep.slug}`}
          label="Secret"
          title={`${ep.name} secret`}
          hint="The secret your tool signs with. Without one, the shared secret is used."
          state={secrets[`webhook.${ep.slug}`]}
        />
        <details className="tool-steps form-grid-wide">
          <summary>Where to paste it</summary>
          {endpointSteps(listing?.public_url ?? null).map((t) => (
            <div key={t.tool}>
              <h4>{t.tool}</h4>
              <ol>
                {t.steps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
            </div>
          ))}
        </details>
        <div className="form-actions form-grid-wide">
          <Button variant="danger" icon="x" onClick={remove} aria-label={`Remove the address for ${ep.name}`}>
            Remove
          </Button>
        </div>
      </div>
    </details>
  );
}

function AddAddress({ list }: { list: NamedEndpoint[] }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<EndpointName>('lead-optin');
  const { save, pending, errors } = useSaveList();
  const { push } = useToasts();
  const slug = slugOf(name);
  const index = list.length;
  const onAdd = () =>
    save([...list, { slug, name: name.trim(), kind, segment: null, source: null, enabled: true, public_form: kind === 'lead-optin', signature: 'auto' }], () => {
      push({ tone: 'good', title: `Added: ${name.trim()}`, body: 'Open it below to copy its address.' });
      setName('');
    });
  return (
    <form
      className="inline-fields add-address"
      onSubmit={(e) => {
        e.preventDefault();
        if (slug) onAdd();
      }}
    >
      <Field label="New address for" hint={slug ? `Its address ends with /api/webhooks/${slug}` : 'A name you will recognise, e.g. Spring promo form.'} error={errors[`receiver.named_endpoints.${index}.slug`] ?? errors[`receiver.named_endpoints.${index}.name`]}>
        {(p) => <input {...p} value={name} maxLength={80} placeholder="Spring promo form" onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Receives">
        {(p) => (
          <select {...p} value={kind} onChange={(e) => setKind(e.target.value as EndpointName)}>
            {ENDPOINTS.map((k) => (
              <option key={k} value={k}>
                {KIND_WORDS[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-actions">
        <Button type="submit" variant="primary" icon="check" disabled={!slug} busy={pending}>
          Add address
        </Button>
      </div>
    </form>
  );
}

export function NamedEndpointsSection({ view }: { view: MethodOutput<'getSettings'> }) {
  const endpoints = useApiQuery('listEndpoints', {});
  const list = view.settings.receiver.named_endpoints;
  return (
    <Card
      title="An address per form"
      subtitle="Give a form or booking page an address of its own: its leads get their own segment and source, and you can tell where each came from."
      labelledBy="named-endpoints-title"
    >
      <AddAddress list={list} />
      {list.length > 0 && (
        <div className="accordion">
          {list.map((ep) => (
            <NamedRow key={ep.slug} ep={ep} list={list} listing={endpoints.data?.items.find((e) => e.name === ep.slug)} secrets={view.secrets} />
          ))}
        </div>
      )}
      <p className="muted small">{ENDPOINT_INFO['lead-optin'].title} and the other built-in addresses are set up under Endpoints.</p>
    </Card>
  );
}

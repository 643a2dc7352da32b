/** Per webhook address: on/off, browser form or signed sender, signature scheme and secret. */
import type { MethodOutput } from '../../../../shared/api/contract.js';
import { ENDPOINTS, ENDPOINT_INFO, type EndpointName } from '../../../../shared/events/catalog.js';
import { SIGNATURE_SCHEMES, type SignatureScheme } from '../../../../shared/settings.js';
import { useApiMutation } from '../../api/queries.js';
import { errorMessage } from '../../api/errors.js';
import { Field, Switch } from '../../components/Form.js';
import { Card } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { SecretField } from '../integrations/SecretField.js';

export const SCHEME_WORDS: Record<SignatureScheme, string> = {
  auto: 'Automatic (check any known signature)',
  none: 'None (do not check)',
  leadbell: 'Leadbell',
  'standard-webhooks': 'Standard Webhooks (Loops, and Svix senders such as Clerk and Resend)',
  typeform: 'Typeform',
  tally: 'Tally',
  stripe: 'Stripe',
  webflow: 'Webflow',
  calendly: 'Calendly',
};

/** How each scheme turns the pasted secret into its key: the same way the sending tool does. */
export const KEY_RULES: Record<SignatureScheme, string> = {
  auto: 'Checks whichever signature the tool sends, reading the secret the way that tool does.',
  none: 'No signature is checked.',
  leadbell: 'The secret is used exactly as written.',
  'standard-webhooks': 'The secret is whsec_ followed by base64 (the prefix may be left off); only the decoded part is the key.',
  typeform: 'The secret is used exactly as written, as typed into Typeform.',
  tally: 'The secret is used exactly as written, as typed into Tally.',
  stripe: 'The whole whsec_… secret is used exactly as written, prefix included.',
  webflow: "The secret is used exactly as written: the webhook's secret, or your Webflow app's client secret.",
  calendly: "The webhook signing key is used exactly as written, as given when the subscription was made.",
};

function EndpointRow({ name, view }: { name: EndpointName; view: MethodOutput<'getSettings'> }) {
  const ep = view.settings.receiver.endpoints[name];
  const save = useApiMutation('updateSettings', ['getSettings', 'listEndpoints']);
  const { push } = useToasts();
  const patch = (p: Partial<typeof ep>) =>
    save.mutate(
      { receiver: { endpoints: { ...view.settings.receiver.endpoints, [name]: { ...ep, ...p } } } },
      { onError: (e) => push({ tone: 'bad', title: 'Could not save', body: errorMessage(e) }) },
    );
  const info = ENDPOINT_INFO[name];
  return (
    <details className="accordion-item">
      <summary>
        <strong>{info.title}</strong>
        <span className="muted small">{ep.enabled ? (ep.public_form ? 'Browser form' : `Signature: ${SCHEME_WORDS[ep.signature]}`) : 'Off'}</span>
      </summary>
      <div className="form-grid">
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
          name={`webhook.${name}`}
          label="Secret"
          hint="The secret your tool signs with. Without one, the shared secret below is used."
          state={view.secrets[`webhook.${name}`]}
        />
      </div>
    </details>
  );
}

export function EndpointsSection({ view }: { view: MethodOutput<'getSettings'> }) {
  return (
    <Card title="Endpoints" subtitle="Your webhook addresses, one per kind of request: signatures and secrets for the tools that send to them." labelledBy="endpoints-title">
      <SecretField name="webhook.default" label="Shared signing secret" hint="Used by every address that has no secret of its own." state={view.secrets['webhook.default']} />
      <div className="accordion">
        {ENDPOINTS.map((e) => (
          <EndpointRow key={e} name={e} view={view} />
        ))}
      </div>
    </Card>
  );
}

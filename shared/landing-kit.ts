/**
 * The landing-page kit: for each endpoint, the address to paste, a ready-to-paste HTML form and
 * fetch snippet, and short setup guides for Zapier, Make, Typeform, Google Forms (with a ready
 * Apps Script) and Loops. Pure data and
 * strings from the endpoint listing and the receiver settings; the UI renders them.
 */
import type { EndpointListing } from './api/models.js';
import { SAMPLES } from './events/samples.js';
import type { SignatureScheme } from './settings.js';

/**
 * The live tunnels' free plans answer browsers with a notice page instead of forwarding:
 * localtunnel's reminder (401, no CORS headers) unless a Bypass-Tunnel-Reminder header is sent,
 * ngrok's interstitial unless ngrok-skip-browser-warning is. A CORS preflight cannot send either,
 * so browser snippets do not try (the header would only force a preflight), and the kit warns.
 */
export function browserBlockingTunnel(url: string): 'localtunnel' | 'ngrok' | null {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  if (/(^|\.)(loca\.lt|localtunnel\.me)$/.test(host)) return 'localtunnel';
  if (/(^|\.)ngrok(-free)?\.(app|dev|io)$/.test(host)) return 'ngrok';
  return null;
}

const tunnelWarning = (tunnel: 'localtunnel' | 'ngrok') =>
  `This is a${tunnel === 'ngrok' ? 'n ngrok' : ' localtunnel'} address: visitors' browsers get ${tunnel}'s notice page instead of your form, and it is down while this computer sleeps. Set up the always-on address in Settings > Public address. (Zapier, Make and other servers can use it.)`;

export interface KitSettings {
  honeypot_field: string;
  thank_you_url: string | null;
}

export interface KitField {
  name: string;
  required: boolean;
  description: string;
}

export interface EndpointKit {
  endpoint: string;
  title: string;
  /** The address to paste: the public one while the tunnel is online, else the local one. */
  url: string;
  public: boolean;
  /** Set when `url` only works on this computer. */
  warning: string | null;
  /** A complete HTML form with its script (the opt-in endpoint). */
  form_html: string | null;
  /** A script that posts JSON, for pages with their own form or tracking. */
  fetch_snippet: string | null;
  /** Why there is no browser snippet (the endpoint needs a signature a browser cannot keep secret). */
  browser_note: string | null;
}

export type GuideTool = 'zapier' | 'make' | 'typeform' | 'google-forms' | 'loops';

export interface SetupGuide {
  tool: GuideTool;
  title: string;
  endpoint: string;
  url: string;
  fields: KitField[];
  signature: {
    /** The preset to choose for the endpoint in Settings. */
    preset: SignatureScheme;
    /** What the endpoint checks today (from the listing). */
    current: string;
    change_needed: boolean;
    explanation: string;
  };
  steps: string[];
  /** Code to paste into the tool, when the guide has some (Google Forms' Apps Script). */
  code: string | null;
  note: string | null;
}

export interface LandingKit {
  endpoints: EndpointKit[];
  guides: SetupGuide[];
}

const FIELDS: Record<string, KitField[]> = {
  'lead-optin': [
    { name: 'email', required: true, description: 'the email address' },
    { name: 'first_name', required: false, description: 'first name' },
    { name: 'last_name', required: false, description: 'last name' },
    { name: 'phone', required: false, description: 'phone number' },
    { name: 'segment', required: false, description: 'the kind of business, e.g. beauty-salon, auto-repair, fitness' },
    { name: 'source', required: false, description: 'where the lead came from, e.g. facebook-ad' },
    { name: 'visitor_id', required: false, description: 'the visitor id your site tracks, if any' },
  ],
  assessment: [
    { name: 'email', required: true, description: 'the email address' },
    { name: 'first_name', required: false, description: 'first name' },
    { name: 'assessment_data', required: false, description: 'an object of 1 to 8 ratings from 0 to 10, e.g. {"marketing": 7}' },
    { name: 'score', required: false, description: 'or a ready score from 0 to 100 instead of ratings' },
  ],
  'email-engagement': [
    { name: 'email', required: true, description: 'the recipient' },
    { name: 'event_type', required: true, description: '"open" or "click"' },
    { name: 'email_id', required: false, description: 'which email it was' },
    { name: 'link_url', required: false, description: 'the clicked link (clicks only)' },
  ],
};

/** The opt-in form's visible fields: what a landing page asks for. */
const FORM_FIELDS: Record<string, { name: string; label: string; type: string; required: boolean; autocomplete: string }[]> = {
  'lead-optin': [
    { name: 'first_name', label: 'First name', type: 'text', required: false, autocomplete: 'given-name' },
    { name: 'email', label: 'Email', type: 'email', required: true, autocomplete: 'email' },
    { name: 'phone', label: 'Phone', type: 'tel', required: false, autocomplete: 'tel' },
  ],
};

export function landingKit(endpoints: EndpointListing[], settings: KitSettings): LandingKit {
  return { endpoints: endpoints.filter((e) => e.enabled).map((e) => endpointKit(e, settings)), guides: setupGuides(endpoints) };
}

export function endpointKit(ep: EndpointListing, settings: KitSettings): EndpointKit {
  const url = ep.public_url ?? ep.local_url;
  const browserOk = ep.public_form || ep.signature === 'none';
  const fields = FORM_FIELDS[ep.name];
  return {
    endpoint: ep.name,
    title: ep.title,
    url,
    public: ep.public_url !== null,
    warning:
      ep.public_url === null
        ? 'The public URL is not online right now: this is the local address, which works only on this computer.'
        : browserOk && browserBlockingTunnel(url)
          ? tunnelWarning(browserBlockingTunnel(url)!)
          : null,
    form_html: browserOk && fields ? formHtml(ep, url, fields, settings) : null,
    fetch_snippet: browserOk ? fetchSnippet(ep, url, settings) : null,
    browser_note: browserOk
      ? null
      : `This endpoint checks a ${ep.signature} signature, which a web page cannot send without revealing the secret: send to it from a server or a tool instead.`,
  };
}

function formHtml(ep: EndpointListing, url: string, fields: (typeof FORM_FIELDS)[string], s: KitSettings): string {
  const id = `leadbell-${ep.name}`;
  const inputs = fields
    .map(
      (f) =>
        `  <label>${escapeHtml(f.label)}\n    <input type="${f.type}" name="${escapeHtml(f.name)}" autocomplete="${f.autocomplete}"${f.required ? ' required' : ''}>\n  </label>`,
    )
    .join('\n');
  return `<form id="${id}" action="${escapeHtml(url)}" method="post">
${inputs}
  <!-- Leave this field hidden and empty: bots fill it in, people do not. -->
  <div style="position:absolute;left:-10000px" aria-hidden="true">
    <label>Leave this empty <input type="text" name="${escapeHtml(s.honeypot_field)}" tabindex="-1" autocomplete="off"></label>
  </div>
  <button type="submit">Send</button>
  <p role="status" hidden></p>
</form>
<script>
${submitScript(id, url, s)}
</script>`;
}

function submitScript(formId: string, url: string, s: KitSettings): string {
  return `document.getElementById(${jsString(formId)}).addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  const status = form.querySelector('[role=status]');
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const res = await fetch(${jsString(url)}, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(new FormData(form))),
    });
    if (res.ok) {
${successLines(s, '      ')}
      return;
    }
    const data = await res.json().catch(() => ({}));
    status.textContent = data.errors ? data.errors.map((x) => x.path.replace(/_/g, ' ') + ' ' + x.message).join('. ') : 'Something went wrong. Please try again.';
  } catch {
    status.textContent = 'Could not send. Please check your connection and try again.';
  }
  status.hidden = false;
  button.disabled = false;
});`;
}

function successLines(s: KitSettings, indent: string): string {
  return s.thank_you_url
    ? `${indent}window.location.href = ${jsString(s.thank_you_url)};`
    : `${indent}form.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'Thank you! We got your details.' }));`;
}

function fetchSnippet(ep: EndpointListing, url: string, s: KitSettings): string {
  const sample = SAMPLES.find((x) => x.endpoint === ep.name)?.body ?? {};
  const body = { ...sample, [s.honeypot_field]: '' };
  const json = JSON.stringify(body, null, 2).replace(/\n/g, '\n  ');
  return `<script>
// Replace the example values with your page's data; keep the empty spam-trap field as it is.
async function sendToLeadbell(data) {
  const res = await fetch(${jsString(url)}, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(data),
  });
  if (!res.ok) throw new Error('Leadbell answered ' + res.status);
  return res.json();
}

sendToLeadbell(${escapeScript(json)}).then(() => {
${s.thank_you_url ? `  window.location.href = ${jsString(s.thank_you_url)};` : '  // Sent: show your own thank-you message here.'}
});
</script>`;
}

export function setupGuides(endpoints: EndpointListing[]): SetupGuide[] {
  const byName = new Map(endpoints.map((e) => [e.name, e]));
  const guides: SetupGuide[] = [];
  const add = (
    tool: GuideTool,
    title: string,
    name: string,
    preset: SignatureScheme,
    steps: (url: string) => string[],
    note: string | null,
    code: ((url: string) => string) | null = null,
  ) => {
    const ep = byName.get(name);
    if (!ep || !ep.enabled) return;
    const url = ep.public_url ?? ep.local_url;
    const fields = tool === 'google-forms' ? [] : (FIELDS[name] ?? []);
    guides.push({ tool, title, endpoint: name, url, fields, signature: signatureAdvice(ep, preset, title.split(':')[0]!), steps: steps(url), code: code?.(url) ?? null, note });
  };

  add(
    'zapier',
    'Zapier: send new sign-ups',
    'lead-optin',
    'none',
    (url) => [
      'In your Zap, after the trigger (your form tool\'s "New submission"), add the action "Webhooks by Zapier" with the event "POST".',
      `URL: ${url}`,
      'Payload Type: json.',
      `Data: one row per field below, each mapped to the matching answer (email is required).`,
      'Test the step: the request appears under Events in Leadbell, and the lead under Leads.',
    ],
    null,
  );
  add(
    'make',
    'Make: send new sign-ups',
    'lead-optin',
    'none',
    (url) => [
      'In your scenario, after the trigger, add the module HTTP > "Make a request".',
      `URL: ${url}  Method: POST`,
      'Body type: Raw. Content type: JSON (application/json).',
      'Request content: a JSON object with the fields below, e.g. {"email": "{{1.email}}", "first_name": "{{1.first_name}}"}.',
      'Run the scenario once: the request appears under Events in Leadbell.',
    ],
    null,
  );
  add(
    'typeform',
    'Typeform: send finished quizzes',
    'assessment',
    'typeform',
    (url) => [
      'In Typeform, open your quiz: Connect > Webhooks > Add a webhook.',
      `Endpoint: ${url}`,
      'Under the webhook\'s settings, set a Secret, and save the same secret in Leadbell: Settings > Endpoints > Assessment complete > Secret.',
      'Leadbell reads Typeform\'s own format: the email question fills email; give the name question the ref first_name; each rating question becomes one rating (up to 8, from 0 to 10). A quiz score (calculated score, 0-100) is used as it is.',
      'Hidden fields visitor_id, segment and source are kept. Use "Send test request": it appears under Events in Leadbell.',
    ],
    'A sign-up form without ratings goes to the Lead opt-in endpoint instead, with the same steps.',
  );
  add(
    'google-forms',
    'Google Forms: send new responses',
    'lead-optin',
    'none',
    () => [
      'In Google Forms, open Responses and click "Link to Sheets" so responses go to a spreadsheet.',
      'Open that spreadsheet: Extensions > Apps Script. Replace what is there with the script below (it already has your address) and click Save.',
      'In Apps Script, open Triggers (the clock) > Add Trigger: function sendToLeadbell, event source "From spreadsheet", event type "On form submit". Save, and allow the access Google asks for.',
      'Send a test response to your form: it appears under Events in Leadbell, and the person under Leads.',
      'Leadbell reads the questions by their titles: "Email" or "Email address" is the email, "First name" and "Last name" (or "Name") the name, "Phone" the phone. Turn on "Collect email addresses" in the form, or ask for the email in a question.',
    ],
    'If Leadbell refuses a response (a mistyped email), Apps Script marks the run as failed and Google emails you; the response stays in the sheet.',
    googleFormsScript,
  );
  add(
    'loops',
    'Loops: email opens and clicks',
    'email-engagement',
    'standard-webhooks',
    (url) => [
      'In Loops, open Settings > Webhooks and add an endpoint.',
      `Endpoint URL: ${url}`,
      'Choose the email opened and email clicked events.',
      'Copy the signing secret Loops shows (whsec_...) into Leadbell: Settings > Endpoints > Email opened or clicked > Secret.',
      'Send a test from Loops: it appears under Events in Leadbell.',
    ],
    'Leadbell reads email, event_type, email_id and link_url from the body; if a request is refused with 422, the inbox shows which field was missing.',
  );
  return guides;
}

/**
 * Apps Script for the form's responses spreadsheet: posts each response's `namedValues` (the
 * trigger's own field) to Leadbell, read by the Google Forms preset (shared/senders/google-forms.ts).
 * A refusal throws, so Apps Script records the failure and emails the owner.
 */
export function googleFormsScript(url: string): string {
  return `// Sends each Google Forms response to Leadbell.
// Trigger: sendToLeadbell, From spreadsheet, On form submit.
const LEADBELL_URL = ${jsString(url)};

function sendToLeadbell(e) {
  const sheet = e.range.getSheet();
  const body = {
    namedValues: e.namedValues,
    // The same row sent twice is one response in Leadbell.
    responseId: sheet.getParent().getId() + ':' + sheet.getSheetId() + ':' + e.range.getRow(),
    submittedAt: new Date().toISOString(),
  };
  const res = UrlFetchApp.fetch(LEADBELL_URL, {
    method: 'post',
    contentType: 'application/json',
    headers: { 'bypass-tunnel-reminder': '1' },
    payload: JSON.stringify(body),
    muteHttpExceptions: true,
  });
  const status = res.getResponseCode();
  if (status >= 300) throw new Error('Leadbell answered ' + status + ': ' + res.getContentText());
}
`;
}

function signatureAdvice(ep: EndpointListing, preset: SignatureScheme, tool: string): SetupGuide['signature'] {
  const current = ep.signature;
  if (preset === 'none') {
    const change = current !== 'none' && !ep.public_form;
    return {
      preset,
      current,
      change_needed: change,
      explanation: change
        ? `${tool} cannot sign requests, but this endpoint checks a ${current} signature: set its signature to "none" in Settings (the allowlist and rate limit still protect it).`
        : `${tool} does not sign requests; this endpoint does not require a signature.`,
    };
  }
  const ok = current === preset || current === 'auto';
  return {
    preset,
    current,
    change_needed: !ok,
    explanation: ok
      ? `Requests are checked with the ${preset} preset and the secret you saved.`
      : `Choose the "${preset}" signature for this endpoint and save the tool's signing secret, so forged requests are refused.`,
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A JavaScript string literal that is also safe inside an HTML <script> element. */
export function jsString(s: string): string {
  return escapeScript(JSON.stringify(s));
}

function escapeScript(code: string): string {
  return code.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

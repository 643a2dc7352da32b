/** The landing-page kit's data and strings, from endpoint listings and receiver settings. */
import { describe, expect, it } from 'vitest';
import type { EndpointListing } from '../../shared/api/models.js';
import { endpointKit, landingKit, setupGuides } from '../../shared/landing-kit.js';

const PUBLIC = 'https://leadbell-relay.bella-salon.workers.dev';

function listing(name: string, over: Partial<EndpointListing> = {}): EndpointListing {
  return {
    name,
    title: name,
    description: '',
    emits: [],
    path: `/api/webhooks/${name}`,
    local_url: `http://127.0.0.1:4747/api/webhooks/${name}`,
    public_url: `${PUBLIC}/api/webhooks/${name}`,
    signature: 'none',
    public_form: false,
    enabled: true,
    kind: name,
    named: false,
    ...over,
  };
}

const settings = { honeypot_field: 'website', thank_you_url: 'https://salon.example/thanks' };

/** The value of attribute `attr` on the first tag matching `tag`, HTML entities decoded. */
function attr(html: string, tag: RegExp, name: string): string | undefined {
  const m = tag.exec(html);
  const v = m && new RegExp(`${name}="([^"]*)"`).exec(m[0]);
  return v?.[1]?.replace(/&#(\d+);/g, (_s, c: string) => String.fromCharCode(Number(c)));
}

describe('the opt-in form', () => {
  const kit = endpointKit(listing('lead-optin', { public_form: true }), settings);
  const html = kit.form_html!;

  it('posts to the public URL', () => {
    expect(kit).toMatchObject({ url: `${PUBLIC}/api/webhooks/lead-optin`, public: true, warning: null });
    expect(attr(html, /<form[^>]*>/, 'action')).toBe(`${PUBLIC}/api/webhooks/lead-optin`);
    expect(attr(html, /<form[^>]*>/, 'method')).toBe('post');
    expect(html).toContain(`fetch("${PUBLIC}/api/webhooks/lead-optin"`);
  });

  it('sends JSON, without the Bypass-Tunnel-Reminder header (a preflight cannot carry it)', () => {
    expect(html).not.toContain('Bypass-Tunnel-Reminder');
    expect(html).toContain(`headers: { 'Content-Type': 'application/json' }`);
  });

  it('warns when the address is a localtunnel or ngrok one that browsers cannot reach', () => {
    const lt = endpointKit(listing('lead-optin', { public_form: true, public_url: 'https://bella.loca.lt/api/webhooks/lead-optin' }), settings);
    expect(lt.warning).toMatch(/localtunnel address.*always-on address/);
    const ngrok = endpointKit(listing('lead-optin', { public_form: true, public_url: 'https://bella-salon.ngrok-free.app/api/webhooks/lead-optin' }), settings);
    expect(ngrok.warning).toMatch(/an ngrok address.*always-on address/);
    const relay = endpointKit(listing('lead-optin', { public_form: true, public_url: 'https://leadbell-relay.bella.workers.dev/api/webhooks/lead-optin' }), settings);
    expect(relay.warning).toBeNull();
  });

  it('has the hidden, empty honeypot field under the configured name, and the visible fields', () => {
    expect(attr(html, /<input[^>]*name="website"[^>]*>/, 'tabindex')).toBe('-1');
    expect(html).toMatch(/<div style="position:absolute;left:-10000px" aria-hidden="true">\s*<label>Leave this empty <input type="text" name="website"/);
    expect(attr(html, /<input[^>]*name="email"[^>]*>/, 'type')).toBe('email');
    expect(html).toMatch(/<input type="email" name="email" autocomplete="email" required>/);
  });

  it('redirects to the thank-you page on success, or thanks in place without one', () => {
    expect(html).toContain('window.location.href = "https://salon.example/thanks";');
    const noPage = endpointKit(listing('lead-optin', { public_form: true }), { ...settings, thank_you_url: null }).form_html!;
    expect(noPage).not.toContain('window.location');
    expect(noPage).toContain('Thank you! We got your details.');
  });

  it('escapes values in HTML attributes and in the script', () => {
    const hostile = endpointKit(
      listing('lead-optin', { public_form: true, public_url: 'https://x.loca.lt/api/webhooks/lead-optin?a="><script>alert(1)</script>' }),
      { honeypot_field: 'web"site<b>', thank_you_url: 'https://salon.example/</script><script>alert(2)</script>' },
    );
    const h = hostile.form_html!;
    expect(h).not.toContain('<script>alert');
    expect(h.match(/<script>/g)).toHaveLength(1);
    expect(h.match(/<\/script>/g)).toHaveLength(1);
    expect(attr(h, /<form[^>]*>/, 'action')).toBe('https://x.loca.lt/api/webhooks/lead-optin?a="><script>alert(1)</script>');
    expect(attr(h, /<input type="text"[^>]*tabindex="-1"[^>]*>/, 'name')).toBe('web"site<b>');
    expect(h).toContain('window.location.href = "https://salon.example/\\u003c/script\\u003e\\u003cscript\\u003ealert(2)\\u003c/script\\u003e";');
  });
});

describe('other endpoints', () => {
  it('get a fetch snippet with an example body and the empty honeypot, when a browser may post to them', () => {
    const kit = endpointKit(listing('sales-page-visit'), settings);
    expect(kit.form_html).toBeNull();
    const js = kit.fetch_snippet!;
    expect(js).toContain(`fetch("${PUBLIC}/api/webhooks/sales-page-visit"`);
    expect(js).not.toContain('Bypass-Tunnel-Reminder');
    expect(js).toContain('"visitor_id": "visitor-123"');
    expect(js).toContain('"website": ""');
    expect(js).toContain('window.location.href = "https://salon.example/thanks";');
  });

  it('get no browser snippet when they need a signature, and say why', () => {
    const kit = endpointKit(listing('assessment', { signature: 'typeform' }), settings);
    expect(kit.form_html).toBeNull();
    expect(kit.fetch_snippet).toBeNull();
    expect(kit.browser_note).toContain('typeform signature');
  });

  it('fall back to the local address with a warning while the tunnel is not online', () => {
    const kit = endpointKit(listing('lead-optin', { public_form: true, public_url: null }), settings);
    expect(kit).toMatchObject({ url: 'http://127.0.0.1:4747/api/webhooks/lead-optin', public: false });
    expect(kit.warning).toMatch(/works only on this computer/);
    expect(attr(kit.form_html!, /<form[^>]*>/, 'action')).toBe('http://127.0.0.1:4747/api/webhooks/lead-optin');
  });

  it('leave out disabled endpoints', () => {
    const kit = landingKit([listing('lead-optin', { public_form: true }), listing('events', { enabled: false })], settings);
    expect(kit.endpoints.map((e) => e.endpoint)).toEqual(['lead-optin']);
  });
});

describe('setup guides', () => {
  const all = ['lead-optin', 'assessment', 'sales-page-visit', 'email-engagement', 'events'].map((n) =>
    listing(n, { public_form: n === 'lead-optin' }),
  );

  it('cover Zapier, Make, Typeform, Google Forms and Loops with the endpoint, its URL, fields and signature preset', () => {
    const guides = setupGuides(all);
    expect(guides.map((g) => [g.tool, g.endpoint, g.signature.preset])).toEqual([
      ['zapier', 'lead-optin', 'none'],
      ['make', 'lead-optin', 'none'],
      ['typeform', 'assessment', 'typeform'],
      ['google-forms', 'lead-optin', 'none'],
      ['loops', 'email-engagement', 'standard-webhooks'],
    ]);
    for (const g of guides) {
      expect(g.url).toBe(`${PUBLIC}/api/webhooks/${g.endpoint}`);
      expect([...g.steps, g.code ?? ''].some((s) => s.includes(g.url))).toBe(true);
      // Google Forms sends its questions by their titles: the script carries the address.
      if (g.tool === 'google-forms') expect(g.code).toContain(`const LEADBELL_URL = "${g.url}";`);
      else expect(g.fields.find((f) => f.required)?.name).toBe('email');
    }
    expect(guides.find((g) => g.tool === 'loops')!.fields.map((f) => f.name)).toEqual(['email', 'event_type', 'email_id', 'link_url']);
  });

  it('say when the endpoint setting has to change for the tool to get through', () => {
    const signed = all.map((e) => (e.name === 'assessment' ? { ...e, signature: 'stripe' } : e));
    const guides = setupGuides(signed);
    const typeform = guides.find((g) => g.tool === 'typeform')!;
    expect(typeform.signature).toMatchObject({ current: 'stripe', change_needed: true });
    expect(typeform.signature.explanation).toContain('Choose the "typeform" signature');
    const zapier = setupGuides(all.map((e) => (e.name === 'lead-optin' ? { ...e, public_form: false, signature: 'auto' } : e)));
    expect(zapier.find((g) => g.tool === 'zapier')!.signature.explanation).toContain('set its signature to "none"');
    // The opt-in endpoint is a public form: it never demands a signature.
    expect(guides.find((g) => g.tool === 'zapier')!.signature.change_needed).toBe(false);
    const loops = guides.find((g) => g.tool === 'loops')!;
    expect(loops.signature).toMatchObject({ current: 'none', change_needed: true });
    expect(setupGuides(all.map((e) => ({ ...e, signature: 'standard-webhooks' }))).find((g) => g.tool === 'loops')!.signature.change_needed).toBe(false);
  });
});

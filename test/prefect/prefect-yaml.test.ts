/**
 * Triggers as prefect.yaml, through the admin API of a real core: the export passes a schema
 * mirroring Prefect's trigger model, comes back unchanged when imported, and the guide's five
 * triggers imported from a prefect.yaml fire on the guide's sample payloads with the parameters
 * real Jinja2 (set up as Prefect sets it up) renders from the same events.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toPrefectEvent } from '../../electron/core/prefect/event-mapping.js';
import { exportedPrefectYaml } from '../../electron/core/prefect/trigger-model.js';
import type { EventRecord, Run, Trigger } from '../../shared/api/models.js';
import { openDatabase } from '../../electron/core/storage/database.js';
import { TriggerStore } from '../../electron/core/storage/trigger-store.js';
import { startWorld, type World } from '../engine/world.js';
import { post, startTestCore } from '../helpers/core.js';
import { renderWithPrefectJinja } from '../helpers/prefect-jinja.js';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.stop());

const api = (method: string, path: string, body?: unknown) => w.tc.api(method as 'GET', path, body);
const listTriggers = async () => (await api('GET', '/api/triggers')).body.items as Trigger[];
const strip = ({ created_at: _c, updated_at: _u, ...t }: Trigger) => t;
const byId = <T extends { id: string | null }>(items: T[]) => [...items].sort((a, b) => String(a.id).localeCompare(String(b.id)));
const importYaml = (body: Record<string, unknown>) => api('POST', '/api/triggers/prefect-import', body);

describe('export', () => {
  it('writes one deployment per flow that a schema mirroring Prefect\'s trigger model accepts', async () => {
    const res = await api('GET', '/api/triggers/prefect-export');
    expect(res.status).toBe(200);
    const doc = exportedPrefectYaml.parse(parse(res.body.yaml as string));
    const triggers = await listTriggers();
    expect(doc.deployments.map((d) => d.name)).toEqual([...new Set(triggers.map((t) => t.flow))].sort());
    const optin = doc.deployments.find((d) => d.name === 'lead-optin')!.triggers[0]!;
    expect(optin).toMatchObject({
      type: 'event',
      name: triggers.find((t) => t.id === 'lead-optin')!.name,
      match: { 'prefect.resource.id': 'lead.*' },
      expect: ['lead.opted_in'],
      posture: 'Reactive',
      threshold: 1,
      within: 0,
      for_each: [],
      enabled: true,
    });
    // Prefect fails a run on a missing single-expression value; the export makes it null, as here.
    expect(optin.parameters!.phone).toBe('{{ event.payload.phone | default(none) }}');
  });

  it('the schema refuses what Prefect would not take or would ignore', async () => {
    const ok = exportedPrefectYaml.parse(parse((await api('GET', '/api/triggers/prefect-export')).body.yaml as string));
    const bad = (patch: Record<string, unknown>) =>
      exportedPrefectYaml.safeParse({ ...ok, deployments: [{ ...ok.deployments[0]!, triggers: [{ ...ok.deployments[0]!.triggers[0]!, ...patch }] }] }).success;
    expect(bad({})).toBe(true);
    expect(bad({ posture: 'Sometimes' })).toBe(false);
    expect(bad({ threshold: 1.5 })).toBe(false);
    expect(bad({ within: -1 })).toBe(false);
    expect(bad({ schedule_after: 'ten minutes' })).toBe(false);
    expect(bad({ leadbell_id: 'x' })).toBe(false);
  });
});

describe('round trip', () => {
  it('export then import gives the same triggers', async () => {
    for (const draft of [
      { id: 'pricing-3x', name: 'Pricing page: 3 visits in 7 days', flow: 'optin-notification', expect: ['visitor.sales_page_visit'], match: { 'prefect.resource.id': 'visitor.*' }, threshold: { count: 3, within_seconds: 604800 }, parameters: { email: '{{ event.payload.email }}', source: 'Visited pricing {{ event.payload.duration }} s' } },
      { id: 'crm', name: 'Assessments to my CRM', flow: 'outbound-webhook', enabled: false, schedule_after_seconds: 600, expect: ['lead.assessment_complete'], match: { 'prefect.resource.id': ['lead.*', '!lead.test*'] }, parameters: { type: 'assessment.completed', data: { email: '{{ event.payload.email | lower }}', answers: ['{{ event.payload.assessment_data }}', 7, null], first: "{{ event.payload.first_name | default('') }}" } } },
    ]) {
      expect((await api('PUT', '/api/triggers', draft)).status).toBe(200);
    }
    const before = byId((await listTriggers()).map(strip));
    const exported = (await api('GET', '/api/triggers/prefect-export')).body.yaml as string;
    const dry = await importYaml({ yaml: exported, dry_run: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.saved).toBe(false);
    expect(byId(dry.body.items as Trigger[])).toEqual(before);
    const saved = await importYaml({ yaml: exported });
    expect(byId(saved.body.items as Trigger[])).toEqual(before);
    expect(byId((await listTriggers()).map(strip))).toEqual(before);
  });
});

describe('import', () => {
  const guideYaml = fs.readFileSync(new URL('./fixtures/guide-prefect.yaml', import.meta.url), 'utf8');
  const flows = { 'segment-router': 'segment-routing', 'lead-optin-v1': 'lead-optin', 'assessment-handler-v1': 'assessment', 'sales-page-handler': 'sales-page-visit', 'email-engagement-v1': 'email-engagement' };

  it("the guide's five triggers fire on its sample payloads with the parameters Prefect renders", async () => {
    const res = await importYaml({ yaml: guideYaml, flows });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const imported = res.body.items as Trigger[];
    expect(imported.map((t) => t.flow)).toEqual(Object.values(flows));

    for (const sample of ['optin', 'assessment-hot', 'sales-page-visit', 'email-open', 'email-click']) {
      expect((await api('POST', '/api/test-fire', { sample })).body.status).toBe(202);
    }
    await w.settle();
    const events = (await api('GET', '/api/events?limit=100')).body.items as EventRecord[];
    const runs = (await api('GET', '/api/runs?limit=1000')).body.items as Run[];
    let compared = 0;
    for (const t of imported) {
      const fired = runs.filter((r) => r.trigger_id === t.id);
      expect(fired.length, t.name).toBeGreaterThan(0);
      const { id: _id, ...draft } = t;
      const dry = (await api('POST', '/api/triggers/dry-run', { trigger: draft, limit: 100 })).body.matches as { event_id: string; parameters: Record<string, unknown> }[];
      expect(dry.length).toBe(fired.length);
      for (const m of dry) {
        const event = toPrefectEvent(events.find((e) => e.id === m.event_id)!);
        const entries = Object.entries(t.parameters as Record<string, string>);
        const prefect = renderWithPrefectJinja(entries.map(([, template]) => ({ template, event })));
        entries.forEach(([key], i) => {
          const theirs = prefect[i]!;
          if ('ok' in theirs) expect(m.parameters[key], `${t.name}: ${key}`).toEqual(theirs.ok);
          else {
            // notion_id is not in the samples: Prefect fails the run, Leadbell passes null.
            expect([key, m.parameters[key], theirs.error]).toEqual([key, null, expect.stringMatching(/ChainableUndefined/)]);
          }
          compared++;
        });
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('the exported form of a guide trigger renders null for a missing value in Prefect too', async () => {
    const event = toPrefectEvent({ ...((await api('GET', '/api/events?limit=1')).body.items as EventRecord[])[0]!, payload: { email: 'a@b.co' } });
    expect(renderWithPrefectJinja([{ template: '{{ event.payload.notion_id | default(none) }}', event }])).toEqual([{ ok: null }]);
  });

  it('refuses, naming the field, what Leadbell cannot do the same way, and imports nothing', async () => {
    const count = (await listTriggers()).length;
    const one = (patch: string) => `deployments:\n  - name: lead-optin\n    triggers:\n      - expect: [lead.opted_in]\n${patch}`;
    const refused = async (yaml: string, body: Record<string, unknown> = {}) => {
      const r = await importYaml({ yaml, ...body });
      expect(r.status).toBe(400);
      return (r.body.error as { message: string }).message;
    };
    expect(await refused(one('        match_related: {prefect.resource.role: flow}\n'))).toMatch(/triggers\.0\.match_related: Leadbell matches only/);
    expect(await refused(one('        after: [lead.visited]\n'))).toMatch(/after/);
    expect(await refused(one('        posture: Proactive\n        within: 60\n'))).toMatch(/posture: Proactive triggers/);
    expect(await refused(one('        threshold: 3\n        within: 600\n'))).toMatch(/for_each must be \["prefect.resource.id"\]/);
    expect(await refused(one('        type: compound\n'))).toMatch(/"compound" triggers are not supported/);
    expect(await refused(one('        job_variables: {image: x}\n'))).toMatch(/job_variables/);
    expect(await refused(one("        parameters: {when: '{{ event.occurred }}'}\n"))).toMatch(/parameters.when: not rendered the same by Prefect: Prefect prints event.occurred as a Python datetime/);
    expect(await refused(guideYaml)).toMatch(/which Leadbell flow runs deployment "segment-router"\?/);
    expect(await refused('deployments: [\n')).toMatch(/not valid YAML \(line \d+\)/);
    // One bad trigger among good ones: nothing is imported.
    expect(await refused(guideYaml.replace('"{{ event.payload.duration }}"', '"{{ event.payload.items }}"'), { flows })).toMatch(/"items" is a Python method name/);
    expect((await listTriggers()).length).toBe(count);
  });

  it('a single trigger, as pasted from a deployment, with ISO durations', async () => {
    const yaml = 'match: {prefect.resource.id: "visitor.*"}\nexpect: [visitor.sales_page_visit]\nthreshold: 3\nfor_each: [prefect.resource.id]\nwithin: P7D\nschedule_after: PT10M\nparameters: {email: "{{ event.payload.email }}"}\n';
    const r = await importYaml({ yaml, flow: 'optin-notification', dry_run: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items).toEqual([
      expect.objectContaining({ id: null, name: 'optin-notification', threshold: { count: 3, within_seconds: 604800 }, schedule_after_seconds: 600, enabled: true }),
    ]);
    expect((await importYaml({ yaml })).body.error).toMatchObject({ message: expect.stringMatching(/which Leadbell flow runs these triggers/) });
  });
});

describe('triggers stored before templates followed Jinja', () => {
  it('keep firing with their old meaning until saved again, which then refuses the construct', async () => {
    const first = await startTestCore({});
    await first.stop();
    const db = openDatabase(first.dataDir);
    const at = new Date().toISOString();
    const old: Trigger = { id: 'old-style', name: 'Old style', flow: 'outbound-webhook', enabled: true, match: {}, expect: ['lead.opted_in'], parameters: { type: 'x', data: { when: '{{ event.received_at }}', phone: "{{ event.payload.phone | default('n/a') }}" } }, threshold: null, schedule_after_seconds: 0, run_on: 'here', created_at: at, updated_at: at };
    new TriggerStore(db).save(old);
    db.close();
    const tc = await startTestCore({}, first.dataDir);
    try {
      const dry = await tc.api('POST', '/api/triggers/dry-run', { trigger: { ...old, id: undefined, created_at: undefined, updated_at: undefined } });
      expect(dry.status).toBe(400);
      expect(dry.body.error.message).toMatch(/event.received_at exists only in Leadbell/);
      const sent = await post(tc.url('/api/webhooks/lead-optin'), { email: 'old@example.com', first_name: 'Olga', phone: '' }, { accept: 'application/json' });
      expect(sent.status).toBe(202);
      await tc.core.engine.idle();
      const runs = (await tc.api('GET', '/api/runs?limit=100')).body.items as Run[];
      const run = runs.find((r) => r.trigger_id === 'old-style');
      expect(run?.parameters).toMatchObject({ type: 'x', data: { when: expect.stringMatching(/^\d{4}-/), phone: 'n/a' } });
    } finally {
      await tc.stop();
    }
  });
});

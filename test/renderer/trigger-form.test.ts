/**
 * The automation editor's form logic over the real flows' info (as GET /api/flows lists it):
 * a new automation starts from its flow's usual wiring, changing the flow replaces only what the
 * owner has not changed, and problems read as plain words.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_FLOWS } from '../../electron/core/flows/registry.js';
import { usualTrigger } from '../../electron/core/triggers/default-triggers.js';
import type { FlowInfo } from '../../shared/api/models.js';
import { build, chooseFlow, fillMissingParameters, fromTrigger, matchWords, type FormState } from '../../renderer/src/views/automations/trigger-form.js';

const flows: FlowInfo[] = BUILT_IN_FLOWS.filter((f) => !f.internal).map((f) => ({
  name: f.name,
  title: f.title,
  description: f.describe(f.defaults),
  settings: f.defaults,
  defaults: f.defaults,
  required_parameters: f.requiredParameters,
  usual: usualTrigger(f),
}));

const params = (f: FormState) => JSON.parse(f.parameters) as Record<string, unknown>;

describe('a new automation', () => {
  it('starts from the first flow\'s usual events, labels and details, and only needs a name', () => {
    const f = fromTrigger(null, flows);
    expect(f.flow).toBe('lead-optin');
    expect(f.expect).toEqual(['lead.opted_in']);
    expect(f.match).toBe('prefect.resource.id=lead.*');
    expect(params(f)).toMatchObject({ email: '{{ event.payload.email }}', first_name: '{{ event.payload.first_name }}' });
    expect(build(f, undefined, flows).errors).toEqual({ name: 'Give the automation a name' });
    expect(build({ ...f, name: 'x'.repeat(201) }, undefined, flows).errors).toEqual({ name: 'Keep the name to 200 characters or fewer' });
    const { errors, draft } = build({ ...f, name: 'Welcome' }, undefined, flows);
    expect(errors).toEqual({});
    expect(draft).toMatchObject({ name: 'Welcome', flow: 'lead-optin', expect: ['lead.opted_in'], match: { 'prefect.resource.id': 'lead.*' } });
  });

  it('picking another flow brings its usual wiring, unless the owner changed it', () => {
    const f = { ...fromTrigger(null, flows), name: 'Visits' };
    const visits = chooseFlow(f, 'sales-page-visit', flows);
    expect(visits.expect).toEqual(['visitor.sales_page_visit']);
    expect(visits.match).toBe('prefect.resource.id=visitor.*');
    expect(Object.keys(params(visits))).toEqual(['visitor_id', 'page_url', 'duration', 'email']);
    // And back again: still not the owner's own, so replaced again.
    expect(chooseFlow(visits, 'lead-optin', flows).expect).toEqual(['lead.opted_in']);

    const edited = { ...f, parameters: '{"email": "{{ event.payload.work_email }}"}', expect: ['lead.opted_in', 'email.clicked'] };
    const kept = chooseFlow(edited, 'segment-routing', flows);
    expect(kept.parameters).toBe(edited.parameters);
    expect(kept.expect).toEqual(['lead.opted_in', 'email.clicked']);
    expect(kept.match).toBe('prefect.resource.id=lead.*');
    // A flow with no usual events leaves the events to the owner: they must choose.
    const forward = chooseFlow(f, 'outbound-webhook', flows);
    expect(params(forward)).toEqual({ type: '{{ event.event }}', data: '{{ event.payload }}' });
    expect(build(forward, undefined, flows).errors.expect).toMatch(/^Choose at least one event, or tick "Any event"/);
    expect(build({ ...forward, anyEvent: true }, undefined, flows).errors).toEqual({});
  });

  it('an existing automation keeps its own wiring; unchanged usual wiring follows a new flow', () => {
    const now = new Date().toISOString();
    const t = { id: 't', name: 'Mine', flow: 'lead-optin', enabled: true, match: {}, expect: [], parameters: { email: '{{ event.payload.mail }}' }, threshold: null, schedule_after_seconds: 0, run_on: 'here' as const, created_at: now, updated_at: now };
    const f = fromTrigger(t, flows);
    expect(f.anyEvent).toBe(true);
    expect(params(f)).toEqual({ email: '{{ event.payload.mail }}' });
    const moved = chooseFlow(f, 'assessment', flows);
    expect(moved.anyEvent).toBe(true);
    expect(moved.expect).toEqual([]);
    expect(params(moved)).toEqual({ email: '{{ event.payload.mail }}' });
  });

  it('says which required details are missing, in words, and can fill them in', () => {
    const f = { ...fromTrigger(null, flows), name: 'No email', parameters: '{"first_name": "{{ event.payload.first_name }}"}' };
    const { errors, missing } = build(f, undefined, flows);
    expect(missing).toEqual(['email']);
    expect(errors.parameters).toBe('Lead opt-in cannot run without email: every run would fail. Pick the event field it comes from, or fill in the usual details.');
    // Switched off or run on Prefect: nothing here would fail.
    expect(build({ ...f, enabled: false }, undefined, flows).errors).toEqual({});
    expect(build({ ...f, runOn: 'prefect' }, undefined, flows).errors).toEqual({});
    const filled = fillMissingParameters(f, flows);
    expect(params(filled)).toMatchObject({ first_name: '{{ event.payload.first_name }}', email: '{{ event.payload.email }}' });
    expect(Object.keys(params(filled))).toHaveLength(7);
  });

  it('"Only for" reads as plain words', () => {
    expect(matchWords('prefect.resource.id=lead.*')).toBe('leads');
    expect(matchWords('prefect.resource.id=lead.*,!lead.test*')).toBe('leads, not lead.test*');
    expect(matchWords('')).toBe('anyone and anything');
    expect(matchWords('shop=downtown')).toBe('shop downtown');
  });
});

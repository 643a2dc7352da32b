/**
 * A flow's settings as plain controls, over the real flows' info: values read back from what the
 * owner typed and picked, problems in words keyed to their control, never a parser's message.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_FLOWS } from '../../electron/core/flows/registry.js';
import { usualTrigger } from '../../electron/core/triggers/default-triggers.js';
import type { FlowInfo } from '../../shared/api/models.js';
import { changedFrom, colorOf, draftOf, hexOf, knownLoopsEvents, readDraft, serverErrors, type Route } from '../../renderer/src/views/automations/flow-settings-form.js';

const flows: FlowInfo[] = BUILT_IN_FLOWS.filter((f) => !f.internal).map((f) => ({
  name: f.name,
  title: f.title,
  description: f.describe(f.defaults),
  settings: f.defaults,
  defaults: f.defaults,
  required_parameters: f.requiredParameters,
  usual: usualTrigger(f),
}));
const flow = (name: string) => flows.find((f) => f.name === name)!;
const coreAccepts = (name: string, values: Record<string, unknown>) => BUILT_IN_FLOWS.find((f) => f.name === name)!.readSettings(values).ok;

describe('the assessment settings', () => {
  it('read back as the core stores them: numbers, the colour as an integer, channels as a list', () => {
    const draft = draftOf(flow('assessment'));
    expect(draft.hot_alert_color).toBe('#ff0000');
    const { values, errors } = readDraft(flow('assessment'), { ...draft, hot_threshold: '90', hot_alert_color: '#00ff00', hot_alert_channels: ['desktop'] });
    expect(errors).toEqual({});
    expect(values).toMatchObject({ hot_threshold: 90, hot_alert_color: 0x00ff00, hot_alert_channels: ['desktop'] });
    expect(coreAccepts('assessment', values)).toBe(true);
    expect(changedFrom(flow('assessment'), values)).toBe(true);
    expect(changedFrom(flow('assessment'), readDraft(flow('assessment'), draft).values)).toBe(false);
  });

  it('refuse a warm score above the hot one, and a number out of range, in words naming the control', () => {
    const draft = draftOf(flow('assessment'));
    const { errors } = readDraft(flow('assessment'), { ...draft, hot_threshold: '60', warm_threshold: '70' });
    expect(errors.warm_threshold).toBe('The Warm score (70) must not be above the Hot score (60)');
    const out = readDraft(flow('assessment'), { ...draft, hot_threshold: '150', warm_threshold: 'lots' }).errors;
    expect(out.hot_threshold).toBe('Hot score: choose a number from 0 to 100');
    expect(out.warm_threshold).toBe('Warm score: write a whole number from 0 to 100');
    expect(Object.values(out).join(' ')).not.toMatch(/threshold|Expected|Invalid/);
  });

  it('colours convert both ways', () => {
    expect(hexOf(16711680)).toBe('#ff0000');
    expect(colorOf('#0099ff')).toBe(39423);
  });
});

describe('segment routes', () => {
  const routing = flow('segment-routing');
  it('are rows that become the map the core stores, segments lower-cased', () => {
    const draft = draftOf(routing);
    expect(draft.nurtures).toEqual([
      { segment: 'beauty-salon', event: 'nurture_beauty_salon' },
      { segment: 'auto-repair', event: 'nurture_auto_repair' },
      { segment: 'fitness', event: 'nurture_fitness' },
    ]);
    const rows: Route[] = [...(draft.nurtures as Route[]), { segment: 'Bakery', event: 'nurture_bakery' }];
    const { values, errors } = readDraft(routing, { ...draft, nurtures: rows });
    expect(errors).toEqual({});
    expect(values.nurtures).toMatchObject({ bakery: 'nurture_bakery', fitness: 'nurture_fitness' });
    expect(coreAccepts('segment-routing', values)).toBe(true);
  });

  it('say what is wrong on the row: a blank or repeated segment, an event name with spaces', () => {
    const rows: Route[] = [
      { segment: 'fitness', event: 'nurture_fitness' },
      { segment: ' Fitness ', event: 'nurture fitness' },
      { segment: '', event: 'x' },
    ];
    const { errors } = readDraft(routing, { ...draftOf(routing), nurtures: rows });
    expect(errors['nurtures.1.segment']).toBe('"fitness" already has a row above');
    expect(errors['nurtures.1.event']).toMatch(/no spaces/);
    expect(errors['nurtures.2.segment']).toBe('Choose or type a segment, or remove this row');
  });

  it("put the core's answer about a segment on that segment's row", () => {
    const draft = { ...draftOf(routing) };
    expect(serverErrors(routing, draft, { 'nurtures.fitness': 'must be a Loops event name' })).toEqual({ 'nurtures.2.event': 'Must be a Loops event name' });
    expect(serverErrors(flow('assessment'), draftOf(flow('assessment')), { hot_threshold: 'Too big: expected number to be <=100' })).toEqual({
      hot_threshold: 'Hot score: this cannot be saved as it is',
    });
  });

  it('offer the follow-up events Leadbell knows of', () => {
    expect(knownLoopsEvents(flows)).toEqual(expect.arrayContaining(['hot_lead_nurture', 'standard_nurture', 'nurture_general', 'nurture_fitness']));
  });
});

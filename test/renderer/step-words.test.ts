/** Steps and runs in the owner's words, and a vendor's failure said plainly with the raw text kept apart. */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../shared/api/models.js';
import { runHeadline, stepWords } from '../../renderer/src/lib/step-words.js';
import { eventTitle } from '../../renderer/src/lib/labels.js';

const step = (name: string, status: Step['status'], more: Partial<Step> = {}): Step => ({
  id: `${name}-${status}`,
  run_id: 'r',
  idx: 0,
  name,
  status,
  attempts: 1,
  input: null,
  output: null,
  error: null,
  next_attempt_at: null,
  idempotency_key: 'k',
  updated_at: '2026-12-01T10:00:00Z',
  retryable: false,
  failure: null,
  integration: null,
  waiting_for_key: false,
  ...more,
});

describe('step words', () => {
  it('say what was done', () => {
    expect(stepWords(step('send_cta_email', 'completed', { output: { transactional_id: 'x', already_sent: false } })).text).toBe('Welcome email sent');
    expect(stepWords(step('hot_lead_alert', 'completed', { output: { title: 't' } })).text).toBe('Team alerted on Discord');
    expect(stepWords(step('score_lead', 'completed', { output: { score: 95, status: 'hot' } })).text).toBe('Scored 95 — Hot');
    expect(stepWords(step('start_nurture', 'completed', { output: { event_name: 'hot_lead_nurture', already_sent: false } })).text).toBe('Hot-lead follow-up emails started');
    expect(stepWords(step('start_nurture', 'completed', { output: { event_name: 'nurture_fitness', nurture: 'fitness' } })).text).toBe('Follow-up emails for fitness started');
  });

  it('say why something was left out, and a vendor failure in words with the raw text apart', () => {
    expect(stepWords(step('send_cta_email', 'skipped', { output: { skipped: 'Loops is not set up' } }))).toMatchObject({ text: 'Welcome email: left out', note: 'Loops is not set up' });
    const failed = stepWords(
      step('send_cta_email', 'dead', { integration: 'loops', failure: { kind: 'key_refused', said: 'Invalid API key' }, error: 'Loops answered 401: {"success":false,"message":"Invalid API key"}' }),
    );
    expect(failed.text).toBe('Welcome email not sent, Leadbell gave up: Loops refused the API key');
    expect(failed.raw).toContain('Invalid API key');
    expect(failed.text).not.toContain('401');
  });

  it('a run reads as what it did, checks left out', () => {
    const steps = [
      step('check_parameters', 'completed'),
      step('score_lead', 'completed', { output: { score: 95, status: 'hot' } }),
      step('hot_lead_alert', 'completed'),
      step('hot_lead_notification', 'skipped', { output: { skipped: 'desktop alerts are turned off' } }),
      step('start_nurture', 'failed', { integration: 'loops', failure: { kind: 'unreachable', said: null }, error: 'Loops could not be reached: ECONNREFUSED' }),
    ];
    expect(runHeadline(steps)).toBe('Scored 95 — Hot · Team alerted on Discord · Follow-up emails not sent yet: Loops could not be reached');
    expect(runHeadline([])).toBeNull();
  });
});

describe("a failed step reads the core's classification through shared/failure-words", () => {
  it.each([
    ['mirror_to_notion', 'notion', { kind: 'refused', said: 'body.properties.Email is invalid' }, 'Copy in Notion not sent yet: Notion refused the data: body.properties.Email is invalid'],
    ['hot_lead_alert', 'discord', { kind: 'key_refused', said: null }, 'Discord alert to the team not sent yet: Discord refused the webhook URL'],
    ['notify_slack', 'slack', { kind: 'rate_limited', said: null }, 'Team message on Slack not sent yet: Slack asked Leadbell to slow down'],
  ] as const)('%s', (name, integration, failure, words) => {
    expect(stepWords(step(name, 'failed', { integration, failure: { ...failure }, error: 'raw text' })).text).toBe(words);
  });

  it('a step whose app refused its key waits for a new key, and a retry says when', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(stepWords(step('send_cta_email', 'pending', { integration: 'loops', waiting_for_key: true, failure: { kind: 'key_refused', said: null } }), now).text).toBe(
      'Welcome email: waiting for a new key (Loops refused the API key)',
    );
    expect(stepWords(step('send_cta_email', 'failed', { integration: 'loops', failure: { kind: 'vendor_error', said: null }, next_attempt_at: '2026-12-01T12:00:00Z' }), now).text).toBe(
      'Welcome email not sent yet: Loops had a problem on its side; next try in 2 h',
    );
  });
});

it('the quiz event carries its score', () => {
  expect(eventTitle('lead.assessment_complete', { score: 95 })).toBe('Finished the quiz (score 95)');
  expect(eventTitle('lead.opted_in', { email: 'a@b.c' })).toBe('Signed up');
});

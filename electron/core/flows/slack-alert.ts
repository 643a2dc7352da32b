/**
 * A Slack alert step: posts its text to the team's channel. Alerts waiting together for Slack's
 * one message a second go out as one message, each alert's text on its own line(s), in order,
 * within SLACK_DIGEST_LIMITS; a lone alert is posted exactly as written.
 */
import { z } from 'zod';
import { SLACK_DIGEST_LIMITS } from '../integrations/slack.js';
import { callOne, callStep, completed, type AnyStep, type CallOutcome, type CallStep, type CallStepContext } from '../runner/step.js';
import { sendPacked } from './alert-digest.js';

const input = z.object({ text: z.string().min(1) });
const output = z.object({ text: z.string() });
type Input = z.infer<typeof input>;
type Output = z.infer<typeof output>;

/** Several alerts as one Slack text: a line (or lines) each, in order. */
const slackDigestText = (texts: readonly string[]): string => texts.join('\n');

const fits = (texts: readonly string[]) =>
  texts.length <= SLACK_DIGEST_LIMITS.alerts && slackDigestText(texts).length <= SLACK_DIGEST_LIMITS.chars;

async function postAlerts(calls: { input: Input; ctx: CallStepContext }[]): Promise<(CallOutcome<Output> | Error)[]> {
  const first = calls[0]!;
  const slack = first.ctx.services.integrations.slack;
  const sent = await sendPacked(
    calls.map((c) => c.input.text),
    fits,
    (texts) => slack.send({ text: slackDigestText(texts) }, first.ctx.call),
  );
  return calls.map(({ input: i }, n) => sent[n] ?? completed({ text: i.text }));
}

/** Every Slack alert step posts the same way, so alerts of different steps may share a message. */
export function slackAlert(def: { name: string; backlog: string; needs?: AnyStep[] }): CallStep<Input, Output> {
  return callStep({
    ...def,
    integration: 'slack',
    input,
    output,
    call: callOne(postAlerts),
    batch: { key: () => 'slack-alerts', max: SLACK_DIGEST_LIMITS.alerts, callMany: postAlerts },
  });
}

/**
 * The optional team-channel message about an app's problem (settings.app.problem_message): one
 * message through Slack or Discord, never through the app that is failing. Only Leadbell's own
 * words go in it (never what a vendor said), so nothing from outside reaches the channel.
 */
import { appFailureWords } from '../../../shared/failure-words.js';
import { INTEGRATIONS } from '../../../shared/integrations/index.js';
import type { Integrations } from '../integrations/registry.js';
import type { Logger } from '../log/logger.js';
import type { AppProblem } from './tell-owner.js';

export type TeamChannel = 'off' | 'slack' | 'discord';

export function teamMessageText(p: AppProblem): string {
  const app = INTEGRATIONS[p.integration].label;
  const words = appFailureWords(p.integration, { kind: p.failure.kind, said: null });
  return p.keyRefused
    ? `Leadbell: ${words}. ${p.what} to ${app} wait until a new key is saved in Connected apps.`
    : `Leadbell: ${p.what} could not be sent: ${words}. Open Leadbell's Home to retry them.`;
}

export async function sendTeamMessage(channel: TeamChannel, p: AppProblem, integrations: Integrations, log: Logger, key: string): Promise<void> {
  if (channel === 'off' || channel === p.integration || integrations.unavailable(channel)) return;
  const text = teamMessageText(p);
  const ctx = { idempotencyKey: key, attempt: 1 };
  try {
    if (channel === 'slack') await integrations.slack.send({ text }, ctx);
    else await integrations.discord.send({ content: text }, ctx);
  } catch (err) {
    // The bell has rung and Home shows it: a team channel that is down too is only logged.
    log.warn('could not tell the team channel about an app problem', { channel, integration: p.integration, error: err as Error });
  }
}

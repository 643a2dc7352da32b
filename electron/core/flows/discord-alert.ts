/**
 * A Discord alert step: a heading line and one embed per alert. Alerts of the same step waiting
 * together go out as one message of up to 10 embeds, split into more messages rather than pass
 * Discord's limits (DISCORD_LIMITS); a lone alert is posted exactly as it always was.
 */
import { z } from 'zod';
import { DISCORD_LIMITS, discordMessage, type DiscordEmbed, type DiscordMessage } from '../integrations/discord.js';
import {
  callOne,
  callStep,
  completed,
  type AnyStep,
  type CallOutcome,
  type CallStep,
  type CallStepContext,
  type StepContext,
} from '../runner/step.js';
import { sendPacked } from './alert-digest.js';

export interface DiscordAlert {
  /** The message's content, e.g. "🔥 **HOT LEAD ALERT**". */
  heading: string;
  embed: DiscordEmbed & { title: string };
}

type Output = { title: string };

/** The lead's name in an alert's title, escaped: room is left for the rest in Discord's 256 characters. */
export const TITLE_NAME_MAX = 200;
type Skipped = { status: 'skipped'; reason: string };

/**
 * Calls one request handles. Many may raise no alert (a warm lead), so a group is larger than
 * one message; its alerts are packed into as few messages as fit.
 */
const GROUP_MAX = 5 * DISCORD_LIMITS.embeds;

/** The alerts as one message: a lone alert as it is; several with their headings counted once each. */
export function discordDigest(alerts: readonly DiscordAlert[]): DiscordMessage {
  if (alerts.length === 1) return { content: alerts[0]!.heading, embeds: [alerts[0]!.embed] };
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.heading, (counts.get(a.heading) ?? 0) + 1);
  const content = [...counts].map(([heading, n]) => (n > 1 ? `${heading} ×${n}` : heading)).join('\n');
  return { content, embeds: alerts.map((a) => a.embed) };
}

const fits = (alerts: readonly DiscordAlert[]) => discordMessage.safeParse(discordDigest(alerts)).success;

export function discordAlert<I>(def: {
  name: string;
  backlog: string;
  needs: AnyStep[];
  input: z.ZodType<I>;
  /** The alert this run raises, or why it raises none (read from earlier steps' outputs). */
  build(input: I, ctx: StepContext): DiscordAlert | Skipped;
}): CallStep<I, Output> {
  async function postAlerts(calls: { input: I; ctx: CallStepContext }[]): Promise<(CallOutcome<Output> | Error)[]> {
    const first = calls[0]!;
    const built = calls.map((c) => def.build(c.input, c.ctx));
    const alerts = built.filter((b): b is DiscordAlert => 'embed' in b);
    const sent = alerts.length
      ? await sendPacked(alerts, fits, (group) => first.ctx.services.integrations.discord.send(discordDigest(group), first.ctx.call))
      : [];
    const results = new Map(alerts.map((a, i) => [a, sent[i] ?? null]));
    return built.map((b) => ('embed' in b ? (results.get(b) ?? completed({ title: b.embed.title })) : b));
  }

  return callStep({
    name: def.name,
    integration: 'discord',
    backlog: def.backlog,
    needs: def.needs,
    input: def.input,
    output: z.object({ title: z.string() }),
    call: callOne(postAlerts),
    // Keyed by step: a group is handed to one step's callMany, which builds only its own alerts.
    batch: { key: () => def.name, max: GROUP_MAX, callMany: postAlerts },
  });
}

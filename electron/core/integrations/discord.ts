/**
 * Discord incoming webhook: the token is in the URL, so the URL is a secret and is masked
 * wherever it is shown. Messages are checked against Discord's limits before sending, so a bad
 * message fails at once with the reason instead of after a round trip.
 */
import { z } from 'zod';
import { integrationSecretName } from '../../../shared/integrations/index.js';
import { httpCall } from '../outbound/http-call.js';
import { maskUrl, urlCredentials } from '../outbound/mask.js';
import { answer, bodyField, bodyText, readOptions, requireUrlSecret, vendorProfile, type ClientDeps, type IntegrationClient, type TestAnswer } from './config.js';
import { PermanentError, type CallContext } from './types.js';

/** Discord's limits per message: content characters, embeds, and characters across all embeds. */
export const DISCORD_LIMITS = { content: 2000, embeds: 10, embedChars: 6000 } as const;

export const discordEmbed = z.strictObject({
  title: z.string().max(256).optional(),
  description: z.string().max(4096).optional(),
  url: z.url().optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
  footer: z.strictObject({ text: z.string().min(1).max(2048), icon_url: z.url().optional() }).optional(),
  author: z.strictObject({ name: z.string().min(1).max(256), url: z.url().optional(), icon_url: z.url().optional() }).optional(),
  thumbnail: z.strictObject({ url: z.url() }).optional(),
  image: z.strictObject({ url: z.url() }).optional(),
  fields: z
    .array(z.strictObject({ name: z.string().min(1).max(256), value: z.string().min(1).max(1024), inline: z.boolean().optional() }))
    .max(25)
    .optional(),
});
export type DiscordEmbed = z.infer<typeof discordEmbed>;

const embedChars = (e: DiscordEmbed) =>
  (e.title?.length ?? 0) +
  (e.description?.length ?? 0) +
  (e.footer?.text.length ?? 0) +
  (e.author?.name.length ?? 0) +
  (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

export const discordMessage = z
  .strictObject({
    content: z.string().max(DISCORD_LIMITS.content).optional(),
    embeds: z.array(discordEmbed).max(DISCORD_LIMITS.embeds).optional(),
  })
  .refine((m) => Boolean(m.content?.trim()) || Boolean(m.embeds?.length), 'needs content or at least one embed')
  .refine((m) => (m.embeds ?? []).reduce((n, e) => n + embedChars(e), 0) <= DISCORD_LIMITS.embedChars, {
    message: `embeds together may have at most ${DISCORD_LIMITS.embedChars} characters`,
    path: ['embeds'],
  });
export type DiscordMessage = z.infer<typeof discordMessage>;

export interface DiscordClient extends IntegrationClient {
  send(msg: { content?: string; embeds?: DiscordEmbed[] }, ctx: CallContext): Promise<void>;
}

export function createDiscordClient(deps: ClientDeps): DiscordClient {
  const webhookUrl = () => {
    readOptions(deps, 'discord');
    return requireUrlSecret(deps, integrationSecretName('discord', 'webhook_url'), 'Discord webhook URL', 'Discord is not configured: add a webhook URL');
  };
  const post = async (msg: DiscordMessage, signal?: AbortSignal) => {
    const url = webhookUrl();
    // Discord limits per webhook: the URL is the account.
    const vendor = vendorProfile(deps, 'discord', url, urlCredentials(url), {
      errorMessage: (res) => {
        const code = bodyField(res, 'code');
        if (code === 10015) return 'the webhook was deleted (Unknown Webhook, code 10015): create a new one and paste its URL';
        const message = bodyText(res, 'message');
        const errors = bodyField(res, 'errors');
        return message && `${message}${typeof code === 'number' ? ` (code ${code})` : ''}${errors ? ` ${JSON.stringify(errors)}` : ''}`;
      },
      // Header first: the unversioned URL has been seen giving retry_after in ms, not seconds.
      retryAfterFromBody: (res) => {
        const s = bodyField(res, 'retry_after');
        return typeof s === 'number' && s >= 0 ? Math.ceil(s * 1000) : undefined;
      },
    });
    // Lead-supplied text must never ping @everyone or a role.
    return httpCall(vendor, { method: 'POST', url, safeUrl: maskUrl(url), json: { ...msg, allowed_mentions: { parse: [] } } }, signal);
  };

  return {
    ready: () => void webhookUrl(),
    send: async (msg, ctx) => {
      const parsed = discordMessage.safeParse(msg);
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'} ${i.message}`).join('; ');
        throw new PermanentError(`Discord message is invalid: ${why}`);
      }
      await post(parsed.data, ctx.signal);
    },
    test: async () => answer(await post({ content: 'Leadbell test message' }), 'delivered'),
  };
}

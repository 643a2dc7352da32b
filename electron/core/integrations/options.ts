/** Every integration's non-secret options, validated when settings are saved (not only when used). */
import { z } from 'zod';
import type { SettingsValidator } from '../storage/settings-store.js';
import { discordOptions } from './discord.js';
import { loopsOptions } from './loops.js';
import { metaOptions } from './meta.js';
import { notionOptions } from './notion.js';
import { prefectOptions } from './prefect.js';
import { slackOptions } from './slack.js';
import { webhookOptions } from './webhook.js';

export const INTEGRATION_OPTIONS: Record<string, z.ZodType> = {
  loops: loopsOptions,
  discord: discordOptions,
  slack: slackOptions,
  notion: notionOptions,
  meta: metaOptions,
  webhook: webhookOptions,
  prefect: prefectOptions,
};

export const validateIntegrationOptions: SettingsValidator = (s) =>
  Object.entries(s.integrations).flatMap(([name, value]) => {
    const schema = INTEGRATION_OPTIONS[name];
    if (!schema) return [{ path: `integrations.${name}`, message: `is not an integration (use ${Object.keys(INTEGRATION_OPTIONS).join(', ')})` }];
    // Strict on save, so a typo in an option name is refused instead of silently ignored.
    const parsed = (schema instanceof z.ZodObject ? schema.strict() : schema).safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: ['integrations', name, ...i.path.map(String)].join('.'), message: i.message }));
  });

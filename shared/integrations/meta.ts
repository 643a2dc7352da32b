/**
 * Meta custom audiences. Audiences are configured by key (e.g. opted_in_leads -> audience id) so
 * flows name the purpose, not the id.
 */
import { z } from 'zod';
import { baseOptions, defineIntegration, envUrl } from './entry.js';
import { httpUrl } from '../http-url.js';

export const META_DEFAULT_BASE_URL = 'https://graph.facebook.com/v25.0';

export const audienceKey = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lower-case letters, digits or underscores');
export const audienceId = z.string().regex(/^\d{1,30}$/, 'must be a numeric custom audience id');

/** `opted_in_leads=<id>,assessment_completers=<id>` -> { opted_in_leads: '<id>', ... } */
const audiencesFromEnv = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const pair of s.split(',').map((x) => x.trim()).filter(Boolean)) {
      const eq = pair.indexOf('=');
      const key = pair.slice(0, eq);
      const id = pair.slice(eq + 1);
      if (eq < 0 || !audienceKey.safeParse(key).success || !audienceId.safeParse(id).success) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" must look like opted_in_leads=<numeric audience id>` });
        return z.NEVER;
      }
      out[key] = id;
    }
    return out;
  });

export const meta = defineIntegration({
  name: 'meta',
  label: 'Meta',
  rate: { limit: 5, windowMs: 1_000 }, // no published figure: stay modest
  // Graph answers a bad, expired or revoked token with 400 and error.code 190 ("Access token has
  // expired: get a new access token"), or 102 for an API session whose login has lapsed:
  // https://developers.facebook.com/docs/graph-api/guides/error-handling ("Error Codes").
  keyRefused: [{ status: 400, field: ['error', 'code'], values: [190, 102] }],
  reachesThePerson: true,
  secrets: [
    {
      key: 'access_token',
      env: 'META_ACCESS_TOKEN',
      label: 'Access token',
      hint: 'A system-user token with ads_management, from Meta Business Settings.',
    },
  ],
  options: baseOptions.extend({
    base_url: httpUrl.default(META_DEFAULT_BASE_URL),
    audiences: z.record(audienceKey, audienceId).default({}),
  }),
  optionEnv: {
    base_url: { env: 'LEADBELL_META_BASE_URL', parse: envUrl },
    audiences: { env: 'META_AUDIENCES', parse: audiencesFromEnv },
  },
  title: 'Meta ads (Facebook & Instagram)',
  blurb: 'Adds leads to your custom audiences so your ads reach (or skip) them. Emails are scrambled (hashed) before they leave.',
  fields: [
    {
      key: 'audiences',
      label: 'Audiences',
      hint: 'One per line: name=audience id (opted_in_leads, assessment_completers, sales_page_visitors).',
      kind: 'mapping',
      placeholder: 'opted_in_leads=1234567890',
    },
  ],
});

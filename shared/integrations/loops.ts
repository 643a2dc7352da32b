/** Loops: the welcome and follow-up emails, and the events that start Loops' own sequences. */
import { baseOptions, defineIntegration, envUrl } from './entry.js';
import { httpUrl } from '../http-url.js';

export const LOOPS_DEFAULT_BASE_URL = 'https://app.loops.so/api/v1';

export const loops = defineIntegration({
  name: 'loops',
  label: 'Loops',
  rate: { limit: 10, windowMs: 1_000 }, // 10 requests/s per team
  reachesThePerson: true,
  secrets: [{ key: 'api_key', env: 'LOOPS_API_KEY', label: 'API key', hint: 'In Loops: Settings → API → Generate key.' }],
  options: baseOptions.extend({ base_url: httpUrl.default(LOOPS_DEFAULT_BASE_URL) }),
  optionEnv: { base_url: { env: 'LEADBELL_LOOPS_BASE_URL', parse: envUrl } },
  title: 'Loops',
  blurb: 'Sends your welcome and follow-up emails, and starts the right email sequence for each lead.',
  fields: [],
});

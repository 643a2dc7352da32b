/**
 * Meta custom audiences: people are added by SHA-256 of their normalised email (and phone when
 * known), never in the clear, at most 10,000 rows a request. Audiences are configured by key
 * (e.g. opted_in_leads -> audience id) so flows name the purpose, not the id.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { integrationSecretName } from '../../../shared/integrations/index.js';
import { httpCall, type OutboundResponse } from '../outbound/http-call.js';
import { answer, bodyField, bodyText, readOptions, requireSecret, vendorProfile, type ClientDeps, type IntegrationClient, type TestAnswer } from './config.js';
import { NotConfiguredError, PermanentError, type CallContext } from './types.js';

export const META_MAX_ROWS = 10_000;
/** Graph error codes for throttling (answered as 400), and for transient server trouble. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80003]);
const TRANSIENT_CODES = new Set([1, 2]);

export interface MetaPerson {
  email: string;
  phone?: string | null;
}

export interface MetaClient extends IntegrationClient {
  addToAudience(audience: string, people: MetaPerson[], ctx: CallContext): Promise<{ audienceId: string; numReceived: number }>;
  /** Removes the person from every configured audience (an erasure): DELETE /{audience}/users with the same hashed rows. */
  removeFromAudiences(person: MetaPerson, ctx: CallContext): Promise<{ audiences: number }>;
}

export type MetaPayload =
  | { schema: 'EMAIL_SHA256'; data: string[] }
  | { schema: ['EMAIL_SHA256', 'PHONE_SHA256']; data: [string, string][] };

export const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
export const normaliseEmail = (email: string) => email.trim().toLowerCase();
export const normalisePhone = (phone: string) => phone.replace(/\D/g, '');

/** One key when nobody has a phone; else email and phone, an empty string where a phone is missing. */
export function audiencePayload(people: MetaPerson[]): MetaPayload {
  const rows = people.map((p, i) => {
    const email = normaliseEmail(p.email);
    if (!email) throw new PermanentError(`Meta audience row ${i + 1} has no email`);
    const phone = p.phone ? normalisePhone(p.phone) : '';
    return { email: sha256Hex(email), phone: phone ? sha256Hex(phone) : '' };
  });
  return rows.some((r) => r.phone)
    ? { schema: ['EMAIL_SHA256', 'PHONE_SHA256'], data: rows.map((r): [string, string] => [r.email, r.phone]) }
    : { schema: 'EMAIL_SHA256', data: rows.map((r) => r.email) };
}

const usersAnswer = z.object({ audience_id: z.union([z.string(), z.number()]).optional(), num_received: z.number().int(), num_invalid_entries: z.number().int().optional() });

const graphCode = (res: OutboundResponse) => bodyField(res, 'error', 'code');

export function createMetaClient(deps: ClientDeps): MetaClient {
  const connect = () => {
    const options = readOptions(deps, 'meta');
    const token = requireSecret(deps, integrationSecretName('meta', 'access_token'), 'Meta is not configured: add an access token');
    const vendor = vendorProfile(deps, 'meta', options.base_url, [token], {
      errorMessage: (res) => {
        const message = bodyText(res, 'error', 'message');
        const code = graphCode(res);
        const sub = bodyField(res, 'error', 'error_subcode');
        return message && `${message}${typeof code === 'number' ? ` (code ${code}${typeof sub === 'number' ? `, subcode ${sub}` : ''})` : ''}`;
      },
      classify: (res) => {
        const code = graphCode(res);
        if (typeof code !== 'number') return undefined;
        return RATE_LIMIT_CODES.has(code) ? 'rate-limited' : TRANSIENT_CODES.has(code) ? 'retryable' : undefined;
      },
    });
    const base = options.base_url.replace(/\/+$/, '');
    // The token goes in the Authorization header: never in a URL that could be logged.
    const call = (method: 'GET' | 'POST' | 'DELETE', path: string, json: unknown, signal?: AbortSignal) =>
      httpCall(vendor, { method, url: `${base}${path}`, json, headers: { authorization: `Bearer ${token}` } }, signal);
    return { call, audiences: options.audiences };
  };

  return {
    ready: () => void connect(),
    async addToAudience(audience, people, ctx) {
      const { call, audiences } = connect();
      const id = audiences[audience];
      if (!id) throw new NotConfiguredError(`Meta audience "${audience}" is not configured: add its id under audiences`);
      let numReceived = 0;
      for (let i = 0; i < people.length; i += META_MAX_ROWS) {
        const payload = audiencePayload(people.slice(i, i + META_MAX_ROWS));
        const res = await call('POST', `/${id}/users`, { payload }, ctx.signal);
        const parsed = usersAnswer.safeParse(res.json);
        if (!parsed.success) throw new PermanentError(`Meta answered ${res.status} with an unexpected body`, res.status);
        numReceived += parsed.data.num_received;
        if (parsed.data.num_invalid_entries) {
          deps.log.warn('Meta did not accept some audience rows', { audience, invalid: parsed.data.num_invalid_entries });
        }
      }
      return { audienceId: id, numReceived };
    },

    // https://developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences#removing-users:
    // removing someone not in an audience changes nothing, so a repeat is harmless.
    async removeFromAudiences(person, ctx) {
      const { call, audiences } = connect();
      const ids = [...new Set(Object.values(audiences))];
      for (const id of ids) {
        const res = await call('DELETE', `/${id}/users`, { payload: audiencePayload([person]) }, ctx.signal);
        if (!usersAnswer.safeParse(res.json).success) throw new PermanentError(`Meta answered ${res.status} with an unexpected body`, res.status);
      }
      return { audiences: ids.length };
    },

    test: async () => {
      const { call, audiences } = connect();
      const entries = Object.entries(audiences);
      if (!entries.length) throw new NotConfiguredError('Meta is not configured: add a custom audience id');
      const lines: string[] = [];
      let status = 200;
      for (const [key, id] of entries) {
        const a = answer(await call('GET', `/${id}?fields=id,name,approximate_count_lower_bound`, undefined));
        status = a.status;
        lines.push(`${key}: ${a.detail}`);
      }
      return { status, detail: lines.join('\n') };
    },
  };
}

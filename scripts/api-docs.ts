/**
 * Renders docs/api.md from the contract, so the documented admin API is the implemented one.
 * `node --import tsx scripts/api-docs.ts --write` regenerates it; a test checks it is current.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { contract, METHOD_NAMES } from '../shared/api/contract.js';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; items?: Schema; anyOf?: Schema[]; default?: unknown; const?: unknown; description?: string; minimum?: number; maximum?: number; pattern?: string };

function typeOf(s: Schema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'any'}[]`;
  if (Array.isArray(s.type)) return s.type.join(' \\| ');
  return s.type ?? 'object';
}

function fields(schema: z.ZodType, io: 'input' | 'output'): string[] {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Schema;
  const props = json.properties ?? {};
  const names = Object.keys(props);
  if (!names.length) return ['(none)'];
  return names.map((n) => {
    const p = props[n]!;
    const req = json.required?.includes(n) && p.default === undefined ? 'required' : 'optional';
    const def = p.default !== undefined ? `, default ${JSON.stringify(p.default)}` : '';
    const range = p.minimum !== undefined || p.maximum !== undefined ? `, ${p.minimum ?? ''}..${p.maximum ?? ''}` : '';
    return `\`${n}\` ${typeOf(p)} (${req}${def}${range})`;
  });
}

export function renderApiDocs(): string {
  const lines = [
    '# Leadbell admin API',
    '',
    'Generated from `shared/api/contract.ts` (`node --import tsx scripts/api-docs.ts --write`); do not edit by hand.',
    '',
    'The same contract is served over HTTP in headless mode (on loopback, `LEADBELL_ADMIN_PORT`, default 4748) and over',
    "Electron IPC in the desktop app. Every call needs `Authorization: Bearer <token>` (the token printed at start, or",
    '`LEADBELL_ADMIN_TOKEN`); the browser UI uses a session cookie holding a random session id, issued by',
    '`POST /api/login {token}` or by opening `/?token=<token>` and revoked by `POST /api/logout`. After 10 wrong tokens in a',
    'minute, sign-in answers 429 with `Retry-After`. Requests with a non-loopback `Host` header are refused (403), and',
    'so are requests from another origin; writes must be sent as `Content-Type: application/json` (415 otherwise).',
    '',
    'GET and DELETE take their input from the query string; POST and PUT from a JSON body; `:id`-style path',
    'parts are part of the input. Invalid input is a 400 with `{error: {code: "invalid_input", message, fields: [{path, message}]}}`;',
    'other errors use codes `not_found` (404), `conflict` (409), `unauthorized` (401), `unavailable` (503), `internal` (500).',
    '',
    'Live updates: `GET /api/stream` is a server-sent event stream of `{topic, id?, notification?}` where topic is one of',
    '`lead`, `event`, `request`, `run`, `notification`, `status`, `settings`, `trigger`.',
    '',
  ];
  for (const name of METHOD_NAMES) {
    const spec = contract[name];
    lines.push(`## ${name} — \`${spec.http.method} ${spec.http.path}\``, '', spec.summary, '');
    lines.push(`- Input: ${fields(spec.input, 'input').join('; ')}`);
    lines.push(`- Output: ${fields(spec.output, 'output').join('; ')}`, '');
  }
  return lines.join('\n');
}

export const API_DOCS_PATH = path.join(import.meta.dirname, '..', 'docs', 'api.md');

if (process.argv.includes('--write')) {
  fs.mkdirSync(path.dirname(API_DOCS_PATH), { recursive: true });
  fs.writeFileSync(API_DOCS_PATH, renderApiDocs());
  process.stdout.write(`wrote ${API_DOCS_PATH}\n`);
}

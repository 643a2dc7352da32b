/**
 * One-click deployment of the relay to the owner's Cloudflare account: upload the Worker with its
 * Durable Object migration, set the relay secret, turn on the workers.dev route, and return the
 * address. Running it again upgrades the Worker in place (the queue's storage is kept).
 */
import { z } from 'zod';
import type { CloudflareClient } from './cloudflare-api.js';

export const COMPATIBILITY_DATE = '2025-04-01';
export const QUEUE_CLASS = 'RelayQueue';
/** The Durable Object migrations, in order; the account keeps the last tag it applied. */
const MIGRATIONS = [{ tag: 'v1', new_sqlite_classes: [QUEUE_CLASS] }];

export interface DeployInput {
  client: CloudflareClient;
  script: string;
  scriptName: string;
  relaySecret: string;
  /** Given when the owner chose one (a token that sees several accounts). */
  accountId: string | null;
}

export interface Deployed {
  url: string;
  account_id: string;
  script_name: string;
}

const accounts = z.array(z.object({ id: z.string(), name: z.string() }));
const scripts = z.array(z.object({ id: z.string(), migration_tag: z.string().optional().nullable() }).loose());

export async function chooseAccount(client: CloudflareClient, given: string | null): Promise<string> {
  const list = await client.call('GET', '/accounts', accounts);
  if (given) {
    if (!list.some((a) => a.id === given)) throw new Error(`This API token cannot reach the account ${given}.`);
    return given;
  }
  if (list.length === 1) return list[0]!.id;
  if (!list.length) throw new Error('This API token cannot see any Cloudflare account: give it the permissions listed above.');
  throw new Error(`This API token can see ${list.length} accounts (${list.map((a) => a.name).join(', ')}): choose one.`);
}

export async function deployRelay(d: DeployInput): Promise<Deployed> {
  const { client, scriptName } = d;
  const account = await chooseAccount(client, d.accountId);
  const base = `/accounts/${account}/workers`;
  const existing = (await client.call('GET', `${base}/scripts`, scripts)).find((s) => s.id === scriptName);
  const lastTag = existing?.migration_tag ?? null;
  const pending = MIGRATIONS.slice(lastTag ? MIGRATIONS.findIndex((m) => m.tag === lastTag) + 1 : 0);

  const metadata = {
    main_module: 'worker.js',
    compatibility_date: COMPATIBILITY_DATE,
    bindings: [{ type: 'durable_object_namespace', name: 'QUEUE', class_name: QUEUE_CLASS }],
    // The relay secret is set below; an upgrade keeps it.
    keep_bindings: ['secret_text'],
    ...(pending.length && {
      migrations: {
        ...(lastTag && { old_tag: lastTag }),
        new_tag: pending.at(-1)!.tag,
        steps: pending.map(({ tag: _tag, ...step }) => step),
      },
    }),
  };
  const form = new FormData();
  form.set('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }));
  form.set('worker.js', new Blob([d.script], { type: 'application/javascript+module' }), 'worker.js');
  await client.call('PUT', `${base}/scripts/${scriptName}`, z.unknown(), form);
  await client.call('PUT', `${base}/scripts/${scriptName}/secrets`, z.unknown(), { name: 'RELAY_SECRET', text: d.relaySecret, type: 'secret_text' });

  const sub = await client
    .call('GET', `${base}/subdomain`, z.object({ subdomain: z.string().min(1) }))
    .catch((err: Error) => {
      throw new Error(
        `Your Cloudflare account has no workers.dev subdomain yet: open Workers & Pages in the Cloudflare dashboard once to pick one, then deploy again. (${err.message})`,
      );
    });
  await client.call('POST', `${base}/scripts/${scriptName}/subdomain`, z.unknown(), { enabled: true, previews_enabled: false });
  return { url: `https://${scriptName}.${sub.subdomain}.workers.dev`, account_id: account, script_name: scriptName };
}

export async function removeRelay(client: CloudflareClient, accountId: string, scriptName: string): Promise<void> {
  await client.call('DELETE', `/accounts/${accountId}/workers/scripts/${scriptName}?force=true`, z.unknown());
}

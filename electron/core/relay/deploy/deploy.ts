/**
 * One-click deployment of the relay to the owner's Cloudflare account: find the account, read
 * its workers.dev subdomain (before anything is uploaded, so a missing one changes nothing),
 * upload the Worker with the Durable Object migrations not yet applied, set the relay secret,
 * turn on the workers.dev route, and return the address. Running it again upgrades the Worker in
 * place (the queue's storage is kept). Each step's failure says which step failed.
 */
import { z } from 'zod';
import { CloudflareError, type CloudflareClient } from './cloudflare-api.js';

export const COMPATIBILITY_DATE = '2025-04-01';
export const QUEUE_CLASS = 'RelayQueue';
/** The Durable Object migrations, in order; the account keeps the last tag it applied. */
const MIGRATIONS = [{ tag: 'v1', new_sqlite_classes: [QUEUE_CLASS] }];
/** "workers.dev subdomain not found", the one answer wrangler reads as "pick a subdomain first". */
const NO_SUBDOMAIN = 10007;

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

const account = z.object({ id: z.string(), name: z.string() });
// GET /accounts/{id}/workers/services/{name}: where wrangler reads the applied migration tag.
const service = z.object({ default_environment: z.object({ script: z.object({ migration_tag: z.string().nullish() }).loose() }).loose() }).loose();

/** Runs one step; a Cloudflare refusal names the step in front of what Cloudflare said. */
async function step<T>(what: string, run: () => Promise<T>, then = ''): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CloudflareError) throw new CloudflareError(`${what} failed${then ? `: ${then}` : ''}. ${err.message}`, err.status, err.codes);
    throw err;
  }
}

export async function chooseAccount(client: CloudflareClient, given: string | null): Promise<string> {
  const list = await step('Reading your Cloudflare accounts', () => client.list('/accounts', account));
  if (given) {
    if (!list.some((a) => a.id === given)) throw new Error(`This API token cannot reach the account ${given}.`);
    return given;
  }
  if (list.length === 1) return list[0]!.id;
  if (!list.length) throw new Error('This API token cannot see any Cloudflare account: give it the permissions listed above.');
  throw new Error(`This API token can see ${list.length} accounts (${list.map((a) => a.name).join(', ')}): choose one.`);
}

async function workersDevSubdomain(client: CloudflareClient, account: string): Promise<string> {
  try {
    return (await client.call('GET', `/accounts/${account}/workers/subdomain`, z.object({ subdomain: z.string().min(1) }))).subdomain;
  } catch (err) {
    if (err instanceof CloudflareError && err.codes.includes(NO_SUBDOMAIN)) {
      throw new Error(
        `Your Cloudflare account has no workers.dev subdomain yet, so the relay would have no address. Open https://dash.cloudflare.com/${account}/workers/onboarding, pick a subdomain, then deploy again. Nothing was uploaded.`,
      );
    }
    if (err instanceof CloudflareError) throw new CloudflareError(`Reading your workers.dev subdomain failed, so nothing was uploaded. ${err.message}`, err.status, err.codes);
    throw err;
  }
}

async function appliedMigrationTag(client: CloudflareClient, account: string, scriptName: string): Promise<string | null> {
  try {
    const s = await client.call('GET', `/accounts/${account}/workers/services/${scriptName}`, service);
    return s.default_environment.script.migration_tag ?? null;
  } catch (err) {
    // Not deployed yet: every migration is pending.
    if (err instanceof CloudflareError && err.status === 404) return null;
    if (err instanceof CloudflareError) throw new CloudflareError(`Reading the relay's current version failed, so nothing was uploaded. ${err.message}`, err.status, err.codes);
    throw err;
  }
}

export async function deployRelay(d: DeployInput): Promise<Deployed> {
  const { client, scriptName } = d;
  const account = await chooseAccount(client, d.accountId);
  const base = `/accounts/${account}/workers`;
  const subdomain = await workersDevSubdomain(client, account);
  const lastTag = await appliedMigrationTag(client, account, scriptName);
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
  await step('Uploading the relay', () => client.call('PUT', `${base}/scripts/${scriptName}`, z.unknown(), form));
  const finish = 'the relay is uploaded but not reachable yet, so deploy again to finish';
  await step(
    'Setting the relay secret',
    () => client.call('PUT', `${base}/scripts/${scriptName}/secrets`, z.unknown(), { name: 'RELAY_SECRET', text: d.relaySecret, type: 'secret_text' }),
    finish,
  );
  await step('Turning on the workers.dev address', () => client.call('POST', `${base}/scripts/${scriptName}/subdomain`, z.unknown(), { enabled: true, previews_enabled: false }), finish);
  return { url: `https://${scriptName}.${subdomain}.workers.dev`, account_id: account, script_name: scriptName };
}

export async function removeRelay(client: CloudflareClient, accountId: string, scriptName: string): Promise<void> {
  await client.call('DELETE', `/accounts/${accountId}/workers/scripts/${scriptName}?force=true`, z.unknown());
}

/**
 * The Cloudflare API v4 endpoints the relay deployment uses, as unkind as the real ones: bearer
 * token or 403 (code 10000), the { success, errors, messages, result } envelope, multipart Worker
 * upload whose metadata must name a module part, Durable Object classes that need a migration
 * (new_sqlite_classes) before a binding may use them, old_tag preconditions, secrets and the
 * workers.dev route only on an existing script (10007 otherwise), and no workers.dev subdomain
 * until the account picked one (10007 on GET …/workers/subdomain, as wrangler expects:
 * packages/wrangler/src/routes.ts in cloudflare/workers-sdk), nor a route to turn on then.
 * Also: `GET /accounts` is paged, 20 to a page by default and 50 at most, with `result_info`
 * (https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/#pagination);
 * the applied migration tag is read from `GET …/workers/services/{name}`
 * (`default_environment.script.migration_tag`, 404 code 10090 for an unknown service); and any
 * call can meet a passing 5xx (`flaky`), some as an HTML error page rather than the API's JSON.
 */
import { randomBytes } from 'node:crypto';
import { FakeServer, type FakeAnswer, type FakeRequest } from './fake-server.js';

export interface FakeScript {
  modules: Record<string, { type: string; text: string }>;
  metadata: Record<string, unknown>;
  migration_tag: string | null;
  sqlite_classes: string[];
  secrets: Record<string, string>;
  workers_dev: boolean;
}

const ok = (result: unknown, status = 200): FakeAnswer => ({ status, json: { success: true, errors: [], messages: [], result } });
const fail = (status: number, code: number, message: string): FakeAnswer => ({ status, json: { success: false, errors: [{ code, message }], messages: [], result: null } });

export class CloudflareFake {
  readonly token = `cf-${randomBytes(16).toString('hex')}`;
  readonly accountId = randomBytes(16).toString('hex');
  subdomain: string | null = 'owner-shop';
  readonly scripts = new Map<string, FakeScript>();
  /** Accounts the token sees besides the owner's (the list is paged). */
  otherAccounts: { id: string; name: string }[] = [];
  /** Passing failures: the next `times` calls matching `method` and `path` get `status`. */
  readonly flaky: { method: string; path: RegExp; times: number; status: number; html?: boolean }[] = [];

  private constructor(readonly server: FakeServer) {}

  static async start(): Promise<CloudflareFake> {
    let fake: CloudflareFake | undefined;
    const server = await FakeServer.start({ name: 'Cloudflare', handle: (req) => fake!.handle(req), errorBody: () => ({ json: { success: false, errors: [{ code: 10013, message: 'An unknown error has occurred' }] } }) });
    fake = new CloudflareFake(server);
    return fake;
  }

  get base(): string {
    return `${this.server.origin}/client/v4`;
  }

  private async handle(req: FakeRequest): Promise<FakeAnswer> {
    if (req.headers.authorization !== `Bearer ${this.token}`) return fail(403, 10000, 'Authentication error');
    const p = req.path.replace(/^\/client\/v4/, '');
    const flake = this.flaky.find((f) => f.times > 0 && f.method === req.method && f.path.test(p));
    if (flake) {
      flake.times -= 1;
      return flake.html
        ? { status: flake.status, headers: { 'content-type': 'text/html' }, text: `<html><body><h1>${flake.status} Bad Gateway</h1>cloudflare</body></html>` }
        : fail(flake.status, 10013, 'An unknown error has occurred');
    }
    if (req.method === 'GET' && p === '/accounts') {
      const all = [{ id: this.accountId, name: "Owner's account" }, ...this.otherAccounts];
      const perPage = Math.min(50, Number(req.query.get('per_page') ?? 20));
      const page = Number(req.query.get('page') ?? 1);
      const items = all.slice((page - 1) * perPage, page * perPage);
      return { status: 200, json: { success: true, errors: [], messages: [], result: items, result_info: { page, per_page: perPage, count: items.length, total_count: all.length, total_pages: Math.ceil(all.length / perPage) } } };
    }
    const m = /^\/accounts\/([0-9a-f]{32})\/workers(\/.*)$/.exec(p);
    if (!m) return fail(404, 7003, 'Could not route to ' + p + ', perhaps your object identifier is invalid?');
    if (m[1] !== this.accountId) return fail(403, 10000, 'Authentication error');
    const rest = m[2]!;
    if (req.method === 'GET' && rest === '/subdomain') {
      return this.subdomain ? ok({ subdomain: this.subdomain }) : fail(404, 10007, 'This account has no workers.dev subdomain');
    }
    const svc = /^\/services\/([a-z0-9-]+)$/.exec(rest);
    if (req.method === 'GET' && svc) {
      const script = this.scripts.get(svc[1]!);
      if (!script) return fail(404, 10090, 'workers.api.error.service_not_found');
      return ok({ id: svc[1], default_environment: { environment: 'production', script: { id: svc[1], migration_tag: script.migration_tag ?? undefined } } });
    }
    if (req.method === 'GET' && rest === '/scripts') {
      return ok([...this.scripts].map(([id, s]) => ({ id, migration_tag: s.migration_tag ?? undefined, created_on: new Date().toISOString() })));
    }
    const s = /^\/scripts\/([a-z0-9-]+)(\/secrets|\/subdomain)?$/.exec(rest);
    if (!s) return fail(404, 7003, 'Could not route to ' + rest);
    const [, name, sub] = s as unknown as [string, string, string | undefined];
    if (!sub && req.method === 'PUT') return this.upload(name!, req);
    if (!sub && req.method === 'DELETE') {
      if (!this.scripts.delete(name!)) return fail(404, 10007, 'This Worker does not exist on your account.');
      return ok(null);
    }
    const script = this.scripts.get(name!);
    if (!script) return fail(404, 10007, 'This Worker does not exist on your account.');
    if (sub === '/secrets' && req.method === 'PUT') {
      const b = req.body as { name?: unknown; text?: unknown; type?: unknown } | undefined;
      if (typeof b?.name !== 'string' || typeof b.text !== 'string' || b.type !== 'secret_text') return fail(400, 10021, 'secret must have name, text and type secret_text');
      script.secrets[b.name] = b.text;
      return ok({ name: b.name, type: 'secret_text' });
    }
    if (sub === '/subdomain' && req.method === 'POST') {
      const b = req.body as { enabled?: unknown } | undefined;
      if (typeof b?.enabled !== 'boolean') return fail(400, 10021, 'enabled must be a boolean');
      if (b.enabled && !this.subdomain) return fail(400, 10007, 'This account has no workers.dev subdomain');
      script.workers_dev = b.enabled;
      return ok(null);
    }
    return fail(405, 10405, 'Method not allowed');
  }

  private async upload(name: string, req: FakeRequest): Promise<FakeAnswer> {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('multipart/form-data')) return fail(400, 10021, 'Uploads must be multipart/form-data');
    const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(req.raw) }).formData();
    const metaPart = form.get('metadata');
    if (!metaPart) return fail(400, 10021, 'No metadata part');
    const metadata = JSON.parse(typeof metaPart === 'string' ? metaPart : await metaPart.text()) as Record<string, any>;
    const main = metadata.main_module;
    const mainPart = typeof main === 'string' ? form.get(main) : null;
    if (!mainPart || typeof mainPart === 'string') return fail(400, 10021, `No such module: main_module "${String(main)}" is not a part of the upload`);
    if (mainPart.type !== 'application/javascript+module') return fail(400, 10021, `Unexpected content type for module ${main}: ${mainPart.type}`);
    const prev = this.scripts.get(name);
    let tag = prev?.migration_tag ?? null;
    const classes = new Set(prev?.sqlite_classes ?? []);
    const mig = metadata.migrations as { old_tag?: string; new_tag?: string; steps?: { new_sqlite_classes?: string[] }[]; new_sqlite_classes?: string[] } | undefined;
    if (mig) {
      if ((mig.old_tag ?? null) !== tag) return fail(400, 10079, `Migration tag precondition failed; current tag is ${tag ?? 'none'}`);
      for (const step of mig.steps ?? [mig]) for (const c of step.new_sqlite_classes ?? []) {
        if (classes.has(c)) return fail(400, 10074, `Cannot create a Durable Object namespace for class ${c}: it already exists`);
        classes.add(c);
      }
      tag = mig.new_tag ?? tag;
    }
    const text = await mainPart.text();
    for (const b of (metadata.bindings ?? []) as { type: string; class_name?: string }[]) {
      if (b.type !== 'durable_object_namespace') continue;
      if (!classes.has(b.class_name ?? '')) return fail(400, 10061, `Cannot apply new-class migration to class ${b.class_name}: no migration creates it`);
      if (!new RegExp(`export\\s*\\{[^}]*\\b${b.class_name}\\b`).test(text)) return fail(400, 10070, `Durable Object class ${b.class_name} is not exported by the script`);
    }
    const keep = Array.isArray(metadata.keep_bindings) && metadata.keep_bindings.includes('secret_text');
    this.scripts.set(name, {
      modules: { [main]: { type: mainPart.type, text } },
      metadata,
      migration_tag: tag,
      sqlite_classes: [...classes],
      secrets: keep ? { ...prev?.secrets } : {},
      workers_dev: prev?.workers_dev ?? false,
    });
    return ok({ id: name, etag: randomBytes(8).toString('hex'), modified_on: new Date().toISOString() });
  }
}

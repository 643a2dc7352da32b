/**
 * The ngrok provider against the SDK's interface, with no ngrok server reachable: a fake SDK and
 * a loopback cloud that keep the SDK's documented behaviour and errors (test/fakes/ngrok-cloud.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ngrokProvider } from '../../electron/core/tunnel/ngrok-provider.js';
import type { NgrokSdk } from '../../electron/core/tunnel/ngrok-sdk.js';
import { TunnelOpenError, type OpenRequest, type OpenTunnel } from '../../electron/core/tunnel/provider.js';
import { FAKE_REMOTE_ADDRESS } from '../fakes/localtunnel-server.js';
import { FakeNgrokCloud, OTHER_REFUSAL } from '../fakes/ngrok-cloud.js';

const TOKEN = '2abcDEFghiJKLmnoPQRstu_vwxYZ0123456789';
const DOMAIN = 'bella-salon.ngrok-free.app';

let cloud: FakeNgrokCloud;
let local: http.Server;
let localPort: number;
/** What reached the local port: path and headers. */
let received: { path: string; xff: string | undefined; host: string | undefined }[];
let token: string | null;
const opened: OpenTunnel[] = [];

beforeEach(async () => {
  cloud = await FakeNgrokCloud.start({ [TOKEN]: [DOMAIN] });
  received = [];
  token = TOKEN;
  local = http.createServer((req, res) => {
    received.push({ path: req.url ?? '', xff: req.headers['x-forwarded-for'] as string | undefined, host: req.headers.host });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
  localPort = (local.address() as AddressInfo).port;
});

afterEach(async () => {
  for (const t of opened.splice(0)) t.close();
  await cloud.close();
  await new Promise<void>((r) => local.close(() => r()));
});

function provider(sdk: () => Promise<NgrokSdk> = async () => cloud.sdk()) {
  return ngrokProvider({ sdk, authtoken: () => token, version: '0.1.0' });
}

function request(over: Partial<OpenRequest> = {}): OpenRequest {
  return { port: localPort, subdomain: DOMAIN, host: '', timeoutMs: 2_000, signal: new AbortController().signal, ...over };
}

async function open(over: Partial<OpenRequest> = {}, p = provider()): Promise<OpenTunnel> {
  const t = await p.open(request(over));
  opened.push(t);
  return t;
}

async function failure(over: Partial<OpenRequest> = {}, p = provider()): Promise<TunnelOpenError> {
  const err = await p.open(request(over)).then(
    (t) => {
      opened.push(t);
      throw new Error('the tunnel opened');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TunnelOpenError);
  return err as TunnelOpenError;
}

const waitFor = async (pred: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('opening', () => {
  it('opens on the static domain and forwards public requests to the local port with the sender in X-Forwarded-For', async () => {
    const t = await open();
    expect(t.url).toBe(cloud.urlFor(DOMAIN));
    expect(t.subdomain).toBe(DOMAIN);
    const res = await fetch(`${t.url}/api/webhooks/lead-optin`, { headers: { [FAKE_REMOTE_ADDRESS]: '198.51.100.7', 'x-forwarded-for': '10.9.9.9' } });
    expect(res.status).toBe(200);
    // The sender's own claim stays first; the address ngrok saw is appended last.
    expect(received).toEqual([{ path: '/api/webhooks/lead-optin', xff: '10.9.9.9, 198.51.100.7', host: DOMAIN }]);
  });

  it('frees the domain on close, so the next open gets the same URL', async () => {
    const first = await open();
    first.close();
    await waitFor(() => !cloud.isOnline(DOMAIN));
    const second = await open();
    expect(second.url).toBe(first.url);
    expect(cloud.sessions.size).toBe(1);
  });
});

describe('failures, each in its own words', () => {
  it('no network: unreachable, "cannot reach ngrok"', async () => {
    cloud.reachable = false;
    const err = await failure();
    expect(err.kind).toBe('unreachable');
    expect(err.message).toMatch(/^cannot reach ngrok \(is the computer offline\?\): failed to establish tcp connection$/);
  });

  it('a well-formed but unknown authtoken: refused, with where to fix it, and the token never repeated', async () => {
    token = 'zzzzDEFghiJKLmnoPQRstu_vwxYZ0123456789';
    const err = await failure();
    expect(err.kind).toBe('refused');
    expect(err.message).toMatch(/^ngrok did not accept the authtoken \(ERR_NGROK_107\): copy it again from dashboard\.ngrok\.com/);
    expect(err.message).toContain('Settings → Public address');
    expect(err.message).not.toContain(token);
  });

  it('a malformed authtoken (ngrok quotes it back): refused as a bad authtoken, the token masked', async () => {
    token = 'not a token';
    const err = await failure();
    expect(err.message).toMatch(/did not accept the authtoken \(ERR_NGROK_105\)/);
    expect(err.message).not.toContain('not a token');
  });

  it('the domain already online in another session: refused, "already online in another ngrok agent"', async () => {
    const other = await open();
    const err = await failure();
    expect(err.kind).toBe('refused');
    expect(err.message).toMatch(new RegExp(`^the domain ${DOMAIN.replace(/\./g, '\\.')} is already online in another ngrok agent \\(ERR_NGROK_334\\)`));
    // The losing attempt's session is closed, not leaked.
    await waitFor(() => cloud.sessions.size === 1);
    other.close();
  });

  it('any other refusal keeps ngrok code and sentence', async () => {
    const err = await failure({ subdomain: 'someone-else.ngrok-free.app' });
    expect(err.kind).toBe('refused');
    expect(err.message).toBe(`ngrok refused the tunnel (${OTHER_REFUSAL}): The domain 'someone-else.ngrok-free.app' is not reserved on this account.`);
    await waitFor(() => cloud.sessions.size === 0);
  });

  it('masks the authtoken wherever an error quotes it', async () => {
    const quoting: NgrokSdk = {
      SessionBuilder: class extends cloud.sdk().SessionBuilder {
        override connect(): never {
          throw new Error(`failed to connect session: bad credential ${TOKEN} for this account`);
        }
      },
    };
    const err = await failure({}, provider(async () => quoting));
    expect(err.message).toBe('ngrok failed: bad credential [masked] for this account');
  });

  it('no authtoken or no domain: says where to set it, without calling ngrok', async () => {
    token = null;
    expect((await failure()).message).toMatch(/^ngrok needs your authtoken: paste it in Settings → Public address \(headless: NGROK_AUTHTOKEN/);
    token = TOKEN;
    expect((await failure({ subdomain: '' })).message).toMatch(/^ngrok needs your free static domain/);
    expect(cloud.attempts).toEqual([]);
  });

  it('an agent that cannot load on this computer: invalid, in words', async () => {
    const err = await failure({}, provider(() => Promise.reject(new Error('Cannot find module @ngrok/ngrok-linux-riscv64-gnu'))));
    expect(err.kind).toBe('invalid');
    expect(err.message).toBe('the ngrok agent cannot run on this computer: Cannot find module @ngrok/ngrok-linux-riscv64-gnu');
  });

  it('gives up after the timeout and closes the session that connects later', async () => {
    cloud.connectDelayMs = 400;
    const err = await failure({ timeoutMs: 100 });
    expect(err).toMatchObject({ kind: 'timeout', message: 'ngrok did not open the tunnel within 0.1 s' });
    await new Promise((r) => setTimeout(r, 500));
    expect(cloud.sessions.size).toBe(0);
    expect(cloud.isOnline(DOMAIN)).toBe(false);
  });

  it('is cancelled by the caller, and nothing stays online', async () => {
    cloud.connectDelayMs = 200;
    const abort = new AbortController();
    const pending = failure({ signal: abort.signal });
    setTimeout(() => abort.abort(), 20);
    expect((await pending).kind).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 300));
    expect(cloud.sessions.size).toBe(0);
  });
});

describe('a running tunnel', () => {
  it('reports a dropped session once, with the reason, and never after close()', async () => {
    const t = await open();
    const lost: string[] = [];
    t.onLost((e) => lost.push(e.message));
    cloud.dropAll();
    await waitFor(() => lost.length > 0);
    cloud.dropAll();
    await new Promise((r) => setTimeout(r, 50));
    expect(lost).toEqual(['the connection to ngrok dropped: error reading from connection: unexpected EOF']);

    const quiet = await (async () => {
      cloud.online();
      t.close();
      await waitFor(() => cloud.sessions.size === 0);
      const again = await open();
      const heard: string[] = [];
      again.onLost((e) => heard.push(e.message));
      again.close();
      cloud.dropAll();
      await new Promise((r) => setTimeout(r, 50));
      return heard;
    })();
    expect(quiet).toEqual([]);
  });
});

/**
 * The admin HTTP bridge (headless mode): the contract over HTTP on loopback only, bearer-token
 * (or session-cookie) auth, server-sent events for live updates, and the built UI.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { contract, METHOD_NAMES, type ApiHandlers } from '../../../shared/api/contract.js';
import { dispatch } from '../api/dispatch.js';
import type { LiveBus } from '../api/live-bus.js';
import type { Logger } from '../log/logger.js';
import { sameSecret, Sessions, type SignInDoor } from './sessions.js';
import { contentType, UI_CSP } from './ui-assets.js';

export interface AdminOptions {
  handlers: ApiHandlers;
  live: LiveBus;
  token: string;
  host?: string;
  port: number;
  /** Folder of the built renderer (index.html and assets); omitted: API only. */
  uiDir?: string;
  log: Logger;
}

export interface AdminServer {
  port: number;
  close(): Promise<void>;
}

export const SESSION_COOKIE = 'leadbell_session';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The URL's path as the router sees it (percent-decoded); undecodable paths stay as they are. */
function decodedPath(url: string): string {
  const p = url.split('?')[0]!;
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

function sessionId(req: FastifyRequest): string | undefined {
  const cookie = req.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Why a request must be refused as coming from a page of another origin, or null. */
function crossOriginRefusal(req: FastifyRequest): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) {
    return `requests from ${origin} are not allowed: the admin API answers only its own UI`;
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') return 'cross-site requests are not allowed';
  return null;
}

/**
 * Writes must be JSON: a form post or a `text/plain` fetch is a "simple" request that a page of
 * any origin can send without a CORS preflight.
 */
function nonJsonWriteRefusal(req: FastifyRequest): string | null {
  if (!WRITE_METHODS.has(req.method)) return null;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' ? null : `${req.method} requests must be sent as Content-Type: application/json`;
}

function registerApiRoutes(api: FastifyInstance, handlers: ApiHandlers, live: LiveBus, log: Logger): void {
  api.get('/api/stream', (req, reply) => {
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    reply.raw.write(': connected\n\n');
    const unsubscribe = live.subscribe((u) => reply.raw.write(`data: ${JSON.stringify(u)}\n\n`));
    const ping = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  });

  for (const name of METHOD_NAMES) {
    const { http } = contract[name];
    api.route({
      method: http.method,
      url: http.path,
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const params = req.params as Record<string, unknown>;
        const source = http.method === 'GET' || http.method === 'DELETE' ? req.query : req.body;
        const input = { ...((source as Record<string, unknown>) ?? {}), ...params };
        const result = await dispatch(handlers, name, input, log);
        return result.ok ? reply.send(result.value) : reply.code(result.status).send(result.body);
      },
    });
  }
}

export async function startAdminServer(opts: AdminOptions): Promise<AdminServer> {
  const { handlers, live, token, log } = opts;
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024 });

  const sessions = new Sessions();
  // Scripts and tools send the token itself; a browser sends the session id it was given.
  const authorised = (req: FastifyRequest) => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return sameSecret(auth.slice(7).trim(), token);
    const id = sessionId(req);
    return id !== undefined && sessions.check(id);
  };
  const sessionCookie = () => `${SESSION_COOKIE}=${sessions.issue()}; HttpOnly; SameSite=Strict; Path=/`;
  /** A sign-in attempt with the admin token: right, wrong, or refused for a while after many wrong ones. */
  const signIn = (door: SignInDoor, given: unknown): 'ok' | 'wrong' | { retryAfter: number } => {
    const wait = sessions.loginBlockedFor(door);
    if (wait) return { retryAfter: wait };
    if (typeof given === 'string' && sameSecret(given, token)) return 'ok';
    sessions.loginFailed(door);
    return 'wrong';
  };
  const tooMany = (reply: FastifyReply, retryAfter: number) =>
    reply
      .code(429)
      .header('retry-after', String(retryAfter))
      .send({ error: { code: 'rate_limited', message: `too many wrong sign-in attempts: try again in ${retryAfter} s` } });

  // Every request: loopback Host names only (DNS rebinding).
  app.addHook('onRequest', async (req, reply) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!LOOPBACK_HOSTS.has(host)) {
      return reply.code(403).send({ error: { code: 'unauthorized', message: `host ${host || '(none)'} is not allowed` } });
    }
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
  });

  // The API lives in its own plugins: their hooks run for every route matched inside them, however
  // the path was spelled (Fastify decodes `/%61pi/...` before routing), never from the raw URL.
  await app.register(async (guarded) => {
    guarded.addHook('onRequest', async (req, reply) => {
      const refusal = crossOriginRefusal(req);
      if (refusal) return reply.code(403).send({ error: { code: 'forbidden', message: refusal } });
    });
    guarded.post('/api/login', async (req, reply) => {
      const refusal = nonJsonWriteRefusal(req);
      if (refusal) return reply.code(415).send({ error: { code: 'unsupported_media_type', message: refusal } });
      const verdict = signIn('form', (req.body as { token?: unknown } | undefined)?.token);
      if (typeof verdict === 'object') return tooMany(reply, verdict.retryAfter);
      if (verdict === 'wrong') return reply.code(401).send({ error: { code: 'unauthorized', message: 'that token is not right' } });
      return reply.header('set-cookie', sessionCookie()).send({ ok: true });
    });
    guarded.post('/api/logout', async (req, reply) => {
      const id = sessionId(req);
      if (id !== undefined) sessions.revoke(id);
      return reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`).send({ ok: true });
    });
    await guarded.register(async (api) => {
      api.addHook('onRequest', async (req, reply) => {
        if (!authorised(req)) {
          return reply
            .code(401)
            .send({ error: { code: 'unauthorized', message: 'missing or wrong token: send Authorization: Bearer <token>' } });
        }
        const refusal = nonJsonWriteRefusal(req);
        if (refusal) return reply.code(415).send({ error: { code: 'unsupported_media_type', message: refusal } });
      });
      registerApiRoutes(api, handlers, live, log);
    });
  });

  app.setNotFoundHandler(async (req, reply) => {
    if (decodedPath(req.url).toLowerCase().startsWith('/api/')) {
      return reply.code(404).send({ error: { code: 'not_found', message: `no API route ${req.method} ${req.url.split('?')[0]}` } });
    }
    if (!opts.uiDir || (req.method !== 'GET' && req.method !== 'HEAD')) return reply.code(404).send('not found');
    const url = new URL(req.url, 'http://x');
    const loginToken = url.searchParams.get('token');
    if (loginToken !== null) {
      // The printed link is opened by the owner (typed, pasted, from the terminal); another
      // site's page (another port of this machine is the same site) may not load it, not even
      // as an image, or it could count wrong tokens or sign the browser in to a session it chose.
      const refusal = crossOriginRefusal(req) ?? (req.headers['sec-fetch-site'] === 'same-site' ? 'requests from another site are not allowed' : null);
      if (refusal) return reply.code(403).send({ error: { code: 'forbidden', message: `${refusal}: open the sign-in link yourself` } });
      // The link logs the browser in, then drops the token from the address bar.
      const verdict = signIn('link', loginToken);
      if (typeof verdict === 'object') return tooMany(reply, verdict.retryAfter);
      if (verdict === 'wrong') return reply.redirect('/?login=failed', 302);
      return reply.header('set-cookie', sessionCookie()).redirect('/', 302);
    }
    const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    let file = path.join(opts.uiDir, rel);
    if (!file.startsWith(path.resolve(opts.uiDir)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(opts.uiDir, 'index.html');
    }
    if (!fs.existsSync(file)) return reply.code(404).send('The UI is not built: run npm run build.');
    const ext = path.extname(file);
    reply
      .header('content-security-policy', UI_CSP)
      .header('x-frame-options', 'DENY')
      .header('cache-control', ext === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable')
      .type(contentType(file));
    return reply.send(fs.createReadStream(file));
  });

  await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port });
  const port = (app.server.address() as AddressInfo).port;
  log.info('admin API listening', { port });
  return {
    port,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

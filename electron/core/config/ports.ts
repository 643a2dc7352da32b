/**
 * The ports Leadbell listens on, chosen before it listens. A port the owner set (an environment
 * variable) is used or refused, saying what holds it; a default or remembered one that is taken
 * (another Leadbell, headless mode, any program) gives way to a free one, which is kept for next
 * time and announced in plain words: an app that quits over a busy port helps no one.
 */
import http from 'node:http';
import net from 'node:net';

/** What each port is for, in the words the owner reads. */
export const PORT_ROLES = {
  webhooks: 'webhooks',
  tunnel: 'the public address (internal)',
  admin: 'the web UI',
} as const;
export type PortRole = keyof typeof PORT_ROLES;

export interface PortWish {
  role: PortRole;
  host: string;
  port: number;
  /** Set by the owner: refuse rather than move. */
  fixed: boolean;
}

export interface PortMove {
  role: PortRole;
  wanted: number;
  port: number;
  /** Who holds the wanted port, in words ("another Leadbell", "another program"). */
  holder: string;
}

/** A port the owner set is taken: the message says which, what holds it and what to do. */
export class PortTakenError extends Error {}

function listenOnce(host: string, port: number): Promise<number | 'taken'> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' || e.code === 'EACCES' ? resolve('taken') : reject(e)));
    server.listen({ host, port, exclusive: true }, () => {
      const got = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(got));
    });
  });
}

/** Another Leadbell answers GET /health with its instance id; anything else is another program. */
export async function holderOf(host: string, port: number): Promise<string> {
  const where = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const body = await new Promise<string>((resolve) => {
    // node:http rather than fetch: a holder that drops the connection must end the wait too.
    const req = http.get({ host: where, port, path: '/health', timeout: 1000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d.slice(0, 1000)));
      res.on('end', () => resolve(text));
      res.on('error', () => resolve(''));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(''));
  });
  try {
    const parsed = JSON.parse(body) as { status?: unknown; instance?: unknown };
    if (parsed.status === 'ok' && typeof parsed.instance === 'string') return 'another Leadbell (the desktop app or the background service)';
  } catch {
    // Not JSON: not ours.
  }
  return 'another program';
}

/** The port to listen on for one wish, and how it moved when it did. */
export async function choosePort(wish: PortWish): Promise<{ port: number; moved: PortMove | null }> {
  // Port 0 asks the OS for any free port when listening: nothing to check.
  if (wish.port === 0) return { port: 0, moved: null };
  if ((await listenOnce(wish.host, wish.port)) !== 'taken') return { port: wish.port, moved: null };
  const holder = await holderOf(wish.host, wish.port);
  if (wish.fixed) {
    throw new PortTakenError(
      `Port ${wish.port} (for ${PORT_ROLES[wish.role]}) is already in use by ${holder}, and it was set for Leadbell by ${envName(wish.role)}. ` +
        `Quit ${holder === 'another program' ? 'the program using it' : 'that Leadbell'}, or set ${envName(wish.role)} to another port (or remove it to let Leadbell pick a free one).`,
    );
  }
  const port = await listenOnce(wish.host, 0);
  if (port === 'taken') throw new Error(`no free port on ${wish.host}`);
  return { port, moved: { role: wish.role, wanted: wish.port, port, holder } };
}

export function envName(role: PortRole): string {
  return { webhooks: 'LEADBELL_PORT', tunnel: 'LEADBELL_TUNNEL_PORT', admin: 'LEADBELL_ADMIN_PORT' }[role];
}

/** Roles whose chosen port is remembered in settings (the web UI's is printed at every start). */
export const REMEMBERED: readonly PortRole[] = ['webhooks', 'tunnel'];

/** The moves in plain words, for the notification, the status and the terminal. */
export function describeMoves(moves: PortMove[], host: string): string | null {
  if (!moves.length) return null;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const sentences = moves.map((m) => {
    const now = m.role === 'webhooks' ? `Leadbell receives webhooks at http://${shown}:${m.port}/api/webhooks/… instead` : `${PORT_ROLES[m.role]} uses port ${m.port} instead`;
    return `Port ${m.wanted} was in use by ${m.holder}, so ${now}${REMEMBERED.includes(m.role) ? ' (kept for next time)' : ''}.`;
  });
  const receiving = moves.some((m) => REMEMBERED.includes(m.role));
  return `${sentences.join(' ')}${receiving ? ' Your public address is unchanged.' : ''}`;
}

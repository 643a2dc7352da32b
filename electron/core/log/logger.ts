/**
 * Structured JSON-lines logging (pino), with secrets redacted by key name at any depth and by
 * known value anywhere in the line, email addresses masked, and errors logged with their stack.
 */
import pino, { type DestinationStream } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const SECRET_KEY = /(token|secret|password|authorization|api[-_]?key|cookie|credential|signature)/i;
/**
 * Lines carry ids, never a lead's details; an email address is the one detail with a shape, and
 * may still come in from outside (a vendor's error echoing the address it refused).
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** Registers a secret value so it is masked wherever it appears in a log line. */
  addSecret(value: string): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Receives each finished line; by default lines go to stdout without blocking the event loop. */
  write?: (line: string) => void;
}

/** Replaces the values of secret-looking keys, at any depth (pino's own redact takes fixed paths). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)]),
    );
  }
  return value;
}

function stdout(): (line: string) => void {
  const dest = pino.destination({ dest: 1, sync: false });
  // Whatever is still buffered when the process ends is written before it goes.
  process.once('exit', () => dest.flushSync());
  return (line) => dest.write(line + '\n');
}

function wrap(p: pino.Logger, secrets: Set<string>): Logger {
  return {
    debug: (m, f) => p.debug(f ?? {}, m),
    info: (m, f) => p.info(f ?? {}, m),
    warn: (m, f) => p.warn(f ?? {}, m),
    error: (m, f) => p.error(f ?? {}, m),
    child: (fields) => wrap(p.child(redact(fields) as Record<string, unknown>), secrets),
    addSecret: (v) => {
      if (v) secrets.add(v);
    },
  };
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = new Set<string>();
  const write = opts.write ?? stdout();
  const stream: DestinationStream = {
    write(line: string) {
      let masked = line.endsWith('\n') ? line.slice(0, -1) : line;
      for (const s of secrets) if (s.length >= 6) masked = masked.split(s).join('[redacted]');
      write(masked.replace(EMAIL, '[email]'));
    },
  };
  const p = pino(
    {
      level: opts.level ?? 'info',
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (o) => redact(o) as Record<string, unknown>,
      },
    },
    stream,
  );
  return wrap(p, secrets);
}

export const silentLogger: Logger = createLogger({ write: () => {} });

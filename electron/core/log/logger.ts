/** Structured JSON-lines logging with secrets redacted by key name and by known value. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_KEY = /(token|secret|password|authorization|api[-_]?key|cookie|credential|signature)/i;

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
  write?: (line: string) => void;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)]),
    );
  }
  return value;
}

export function createLogger(opts: LoggerOptions = {}, base: Record<string, unknown> = {}, secrets = new Set<string>()): Logger {
  const min = LEVELS[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return;
    let line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...(redact({ ...base, ...fields }) as object) });
    for (const s of secrets) if (s.length >= 6) line = line.split(s).join('[redacted]');
    write(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(opts, { ...base, ...fields }, secrets),
    addSecret: (v) => {
      if (v) secrets.add(v);
    },
  };
}

export const silentLogger: Logger = createLogger({ write: () => {} });

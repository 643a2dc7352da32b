/**
 * Secrets: encrypted at rest, cached decrypted in memory, write-only through the API.
 * Environment variables (headless mode) take precedence over stored values.
 */
import type { Db } from '../storage/database.js';
import { nowIso } from '../storage/database.js';
import type { Logger } from '../log/logger.js';
import type { SecretCipher } from './cipher.js';

export class SecretStore {
  private cache = new Map<string, string | null>();

  constructor(
    private readonly db: Db,
    readonly cipher: SecretCipher,
    private readonly fromEnv: Record<string, string>,
    private readonly log: Logger,
  ) {
    for (const v of Object.values(fromEnv)) log.addSecret(v);
  }

  get(name: string): string | null {
    const env = this.fromEnv[name];
    if (env) return env;
    if (this.cache.has(name)) return this.cache.get(name)!;
    const row = this.db.prepare('SELECT ciphertext FROM secrets WHERE name = ?').get(name) as { ciphertext: Buffer } | undefined;
    let value: string | null = null;
    if (row) {
      try {
        value = this.cipher.decrypt(row.ciphertext);
        this.log.addSecret(value);
      } catch {
        this.log.warn('a stored secret could not be decrypted; set it again', { secret_name: name });
      }
    }
    this.cache.set(name, value);
    return value;
  }

  set(name: string, value: string | null): void {
    if (value === null) {
      this.db.prepare('DELETE FROM secrets WHERE name = ?').run(name);
    } else {
      this.log.addSecret(value);
      this.db
        .prepare(
          `INSERT INTO secrets (name, ciphertext, backend, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET ciphertext = excluded.ciphertext, backend = excluded.backend, updated_at = excluded.updated_at`,
        )
        .run(name, this.cipher.encrypt(value), this.cipher.backend, nowIso());
    }
    this.cache.set(name, value);
  }

  /** Which secrets are set, and which come from the environment; never their values. */
  view(): Record<string, { set: boolean; from_env: boolean }> {
    const names = new Set<string>([
      ...(this.db.prepare('SELECT name FROM secrets').pluck().all() as string[]),
      ...Object.keys(this.fromEnv),
    ]);
    return Object.fromEntries(
      [...names].sort().map((n) => [n, { set: this.get(n) !== null, from_env: Boolean(this.fromEnv[n]) }]),
    );
  }
}

/**
 * Settings: one validated document. Stored JSON is re-validated on read; a patch is merged
 * per section and validated as a whole before it is written. Environment overrides (headless
 * mode) are applied on top and listed so the UI can say which values are locked.
 */
import { settings as settingsSchema, type Settings, type SettingsPatch } from '../../../shared/settings.js';
import { nowIso, type Db } from './database.js';
import { readJson } from './json-column.js';

export type SettingsOverride = (s: Settings) => Settings;
export type SettingsValidator = (s: Settings) => { path: string; message: string }[];

export class SettingsError extends Error {
  constructor(readonly fields: { path: string; message: string }[]) {
    super(`invalid settings: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`);
  }
}

export class SettingsStore {
  private stored: Settings;
  private effective: Settings;
  private listeners = new Set<(s: Settings) => void>();
  private validators: SettingsValidator[] = [];

  constructor(
    private readonly db: Db,
    private readonly override: SettingsOverride = (s) => s,
  ) {
    const row = db.prepare("SELECT value_json FROM settings WHERE key = 'settings'").pluck().get() as string | undefined;
    this.stored = row ? readJson(settingsSchema, row, 'settings') : settingsSchema.parse({});
    this.effective = this.override(this.stored);
  }

  get(): Settings {
    return this.effective;
  }

  /** The stored document without environment overrides. */
  getStored(): Settings {
    return this.stored;
  }

  update(patch: SettingsPatch): Settings {
    const merged: Record<string, unknown> = { ...this.stored };
    for (const [section, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const current = (this.stored as Record<string, unknown>)[section] as Record<string, Record<string, unknown>>;
      merged[section] =
        section === 'integrations' || section === 'flows'
          ? mergeNested(current, value as Record<string, Record<string, unknown>>)
          : { ...current, ...value };
    }
    const parsed = settingsSchema.safeParse(merged);
    if (!parsed.success) {
      throw new SettingsError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    }
    const problems = [...this.validators.flatMap((v) => v(parsed.data)), ...overridden(patch, parsed.data, this.override(parsed.data))];
    if (problems.length) throw new SettingsError(problems);
    this.db
      .prepare(
        `INSERT INTO settings (key, value_json, updated_at) VALUES ('settings', ?, ?)
         ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
      )
      .run(JSON.stringify(parsed.data), nowIso());
    this.stored = parsed.data;
    this.effective = this.override(this.stored);
    for (const l of this.listeners) l(this.effective);
    return this.effective;
  }

  /** Sections owned by other modules (integration options, flow settings) validate here too. */
  addValidator(validator: SettingsValidator): void {
    this.validators.push(validator);
  }

  onChange(listener: (s: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * A value the patch sets that an environment override replaces would not take effect: saying
 * "saved" would mislead, so it is refused, naming the setting.
 */
function overridden(patch: SettingsPatch, saved: Settings, effective: Settings): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const walk = (given: unknown, path: string[]) => {
    if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
      for (const [k, v] of Object.entries(given)) walk(v, [...path, k]);
    } else if (given !== undefined && JSON.stringify(at(saved, path)) !== JSON.stringify(at(effective, path))) {
      problems.push({ path: path.join('.'), message: 'is set by an environment variable (listed at the top of Settings), which wins over what is saved here' });
    }
  };
  walk(patch, []);
  return problems;
}

function at(doc: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);
}

function mergeNested(
  current: Record<string, Record<string, unknown>>,
  patch: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const out = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    // null clears an option (back to its default), so an optional value can be removed.
    const merged: Record<string, unknown> = { ...(current[k] ?? {}), ...v };
    for (const [key, value] of Object.entries(v)) if (value === null) delete merged[key];
    out[k] = merged;
  }
  return out;
}

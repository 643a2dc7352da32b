/**
 * Mappings the owner saved: per endpoint and body shape, which field holds the email, the names,
 * and the rest. Kept in memory as well, since the receiver looks one up for every lead request.
 */
import { fieldMapping, type FieldMapping } from '../../../shared/mapping/model.js';
import type { Db } from './database.js';
import { readJson } from './json-column.js';
import { statement } from './statements.js';

export interface SavedMapping {
  id: number;
  endpoint: string;
  shape: string;
  mapping: FieldMapping;
  created_at: string;
  updated_at: string;
}

interface DbRow {
  id: number;
  endpoint: string;
  shape: string;
  mapping_json: string;
  created_at: string;
  updated_at: string;
}

const key = (endpoint: string, shape: string) => `${endpoint}\u0000${shape}`;

export class MappingStore {
  private cache = new Map<string, SavedMapping>();

  constructor(private readonly db: Db) {
    for (const row of statement(db, 'SELECT * FROM mappings ORDER BY id').all() as DbRow[]) {
      const m = toSaved(row);
      this.cache.set(key(m.endpoint, m.shape), m);
    }
  }

  find(endpoint: string, shape: string): FieldMapping | undefined {
    return this.cache.get(key(endpoint, shape))?.mapping;
  }

  /** Whether any sender is mapped on the endpoint. */
  mapped(endpoint: string): boolean {
    for (const m of this.cache.values()) if (m.endpoint === endpoint) return true;
    return false;
  }

  list(endpoint?: string): SavedMapping[] {
    return [...this.cache.values()].filter((m) => endpoint === undefined || m.endpoint === endpoint);
  }

  /** Creates or replaces the mapping for an endpoint and shape. */
  save(endpoint: string, shape: string, mapping: FieldMapping, now: string): SavedMapping {
    const row = statement(
      this.db,
      `INSERT INTO mappings (endpoint, shape, mapping_json, created_at, updated_at) VALUES (@endpoint, @shape, @json, @now, @now)
       ON CONFLICT (endpoint, shape) DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at
       RETURNING *`,
    ).get({ endpoint, shape, json: JSON.stringify(mapping), now }) as DbRow;
    const saved = toSaved(row);
    this.cache.set(key(endpoint, shape), saved);
    return saved;
  }

  remove(id: number): boolean {
    const gone = [...this.cache.values()].find((m) => m.id === id);
    if (!gone) return false;
    statement(this.db, 'DELETE FROM mappings WHERE id = ?').run(id);
    this.cache.delete(key(gone.endpoint, gone.shape));
    return true;
  }

  /** An endpoint's mappings go with it (a named endpoint deleted in Settings). */
  removeEndpoint(endpoint: string): void {
    statement(this.db, 'DELETE FROM mappings WHERE endpoint = ?').run(endpoint);
    for (const [k, m] of this.cache) if (m.endpoint === endpoint) this.cache.delete(k);
  }
}

function toSaved(r: DbRow): SavedMapping {
  return { id: r.id, endpoint: r.endpoint, shape: r.shape, mapping: readJson(fieldMapping, r.mapping_json, 'saved mapping'), created_at: r.created_at, updated_at: r.updated_at };
}

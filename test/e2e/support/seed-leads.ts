/**
 * Seeds leads straight into the SQLite file before the app starts (a migrated, real database),
 * for tests and the benchmark that need thousands of them. Deterministic: lead i is always the
 * same person, so a test can search for one it knows.
 */
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../../electron/core/storage/database.js';

const FIRST = ['Maria', 'James', 'Aisha', 'Chen', 'Sofia', 'Liam', 'Noor', 'Lucas', 'Emma', 'Mateo', 'Yuki', 'Olivia', 'Ravi', 'Zoe', 'Ines', 'Omar'];
const LAST = ['Garcia', 'Smith', 'Khan', 'Wang', 'Rossi', 'Murphy', 'Haddad', 'Silva', 'Novak', 'Lopez', 'Sato', 'Brown', 'Patel', 'Meyer', 'Costa', 'Ali'];
const SEGMENTS = ['beauty-salon', 'auto-repair', 'fitness', 'general'];
const SOURCES = ['facebook-ad', 'instagram', 'google', 'referral', 'walk-in'];

export interface SeededLead {
  email: string;
  first_name: string;
  last_name: string;
  phone: string;
}

/** The i-th seeded person (also used by tests to know what to search for). */
export function seededLead(i: number): SeededLead {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  return {
    first_name: first,
    last_name: last,
    email: `${first}.${last}${i}@example.com`.toLowerCase(),
    phone: `+1555${String(1_000_000 + i).slice(-7)}`,
  };
}

export function seedLeads(dataDir: string, count: number, now = Date.now()): void {
  const db = openDatabase(dataDir);
  try {
    const insert = db.prepare(
      `INSERT INTO leads (id, email, first_name, last_name, phone, segment, source, stage, score, status, priority,
         engagement_score, visitor_id, notion_page_id, created_at, updated_at)
       VALUES (@id, @email, @first_name, @last_name, @phone, @segment, @source, @stage, @score, @status, @priority,
         @engagement_score, NULL, NULL, @created_at, @updated_at)`,
    );
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const p = seededLead(i);
        // A spread that looks like a real month: more recent days busier, most leads without a quiz.
        const r = (i * 2654435761) % 1000;
        const score = r % 5 < 2 ? Math.min(100, 20 + ((r * 7) % 81)) : null;
        const status = score === null ? 'new' : score >= 80 ? 'hot' : score >= 50 ? 'warm' : 'cold';
        const ageMs = Math.floor(((r / 1000) ** 1.6) * 30 * 86_400_000) + 3_600_000;
        const created = new Date(now - ageMs - (i % 3600) * 1000).toISOString();
        insert.run({
          id: randomUUID(),
          ...p,
          segment: SEGMENTS[i % SEGMENTS.length],
          source: SOURCES[i % SOURCES.length],
          stage: score === null ? 'opted_in' : 'assessment_complete',
          score,
          status,
          priority: status === 'hot' ? 'high' : status === 'warm' ? 'medium' : 'low',
          engagement_score: (r * 13) % 90,
          created_at: created,
          updated_at: created,
        });
      }
    })();
  } finally {
    db.close();
  }
}

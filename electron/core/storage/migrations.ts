/**
 * Versioned schema migrations, applied in order at start-up inside one transaction each.
 * Append new versions; never edit a released one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE inbox (
        id INTEGER PRIMARY KEY,
        received_at TEXT NOT NULL,
        endpoint TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        client_ip TEXT NOT NULL,
        via TEXT NOT NULL,
        headers_json TEXT NOT NULL,
        content_type TEXT,
        body BLOB NOT NULL,
        body_size INTEGER NOT NULL,
        body_truncated INTEGER NOT NULL DEFAULT 0,
        status INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'rejected', 'spam')),
        reason TEXT,
        event_id TEXT
      );
      CREATE INDEX inbox_endpoint ON inbox(endpoint, id);
      -- Accepted rows are the bulk; the filters that matter (rejected, spam, duplicate) stay indexed.
      CREATE INDEX inbox_outcome ON inbox(outcome, id) WHERE outcome != 'accepted';

      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        event TEXT NOT NULL,
        occurred TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        resource_json TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        inbox_id INTEGER,
        idempotency_key TEXT,
        dispatched INTEGER NOT NULL DEFAULT 0
      );
      -- Most form posts carry no key: a partial index keeps them out of it.
      CREATE UNIQUE INDEX events_idempotency ON events(idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX events_event ON events(event, seq);
      CREATE INDEX events_resource ON events(resource_id, seq);
      CREATE INDEX events_undispatched ON events(seq) WHERE dispatched = 0;

      CREATE TABLE leads (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        first_name TEXT,
        last_name TEXT,
        phone TEXT,
        segment TEXT,
        source TEXT,
        stage TEXT NOT NULL DEFAULT 'opted_in',
        score INTEGER,
        status TEXT NOT NULL DEFAULT 'new',
        priority TEXT NOT NULL DEFAULT 'low',
        engagement_score INTEGER NOT NULL DEFAULT 0,
        visitor_id TEXT,
        notion_page_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX leads_created ON leads(created_at);
      CREATE INDEX leads_updated ON leads(updated_at);
      CREATE INDEX leads_score ON leads(score);
      CREATE INDEX leads_engagement ON leads(engagement_score);
      CREATE INDEX leads_status ON leads(status, created_at);
      CREATE INDEX leads_visitor ON leads(visitor_id);

      CREATE TABLE visitors (
        id TEXT PRIMARY KEY,
        lead_id TEXT,
        stage TEXT NOT NULL DEFAULT 'visitor',
        visits INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        last_page_url TEXT,
        last_duration INTEGER
      );
      CREATE INDEX visitors_lead ON visitors(lead_id);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        ciphertext BLOB NOT NULL,
        backend TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE triggers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        flow TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        match_json TEXT NOT NULL,
        expect_json TEXT NOT NULL,
        parameters_json TEXT NOT NULL,
        threshold_json TEXT,
        schedule_after_seconds INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE trigger_firings (
        id INTEGER PRIMARY KEY,
        trigger_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        run_id TEXT,
        outcome TEXT NOT NULL,
        fired_at TEXT NOT NULL,
        UNIQUE (trigger_id, event_id)
      );
      CREATE INDEX firings_event ON trigger_firings(event_id);

      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        flow TEXT NOT NULL,
        trigger_id TEXT,
        event_id TEXT,
        lead_id TEXT,
        status TEXT NOT NULL,
        parameters_json TEXT NOT NULL,
        scheduled_for TEXT NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
      );
      CREATE INDEX runs_status ON runs(status, scheduled_for);
      CREATE INDEX runs_lead ON runs(lead_id, created_at);
      CREATE INDEX runs_event ON runs(event_id);

      CREATE TABLE steps (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id),
        idx INTEGER NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        input_json TEXT,
        output_json TEXT,
        error TEXT,
        next_attempt_at TEXT,
        idempotency_key TEXT NOT NULL UNIQUE,
        updated_at TEXT NOT NULL,
        UNIQUE (run_id, idx)
      );
      CREATE INDEX steps_status ON steps(status, next_attempt_at);

      CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        lead_id TEXT,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'engine: threshold windows, firing details, clicked links, engine markers',
    sql: `
      ALTER TABLE trigger_firings ADD COLUMN resource_id TEXT;
      ALTER TABLE trigger_firings ADD COLUMN detail TEXT;
      CREATE INDEX firings_window ON trigger_firings(trigger_id, resource_id, fired_at);

      CREATE INDEX runs_created ON runs(created_at);

      CREATE TABLE email_clicks (
        id INTEGER PRIMARY KEY,
        lead_id TEXT NOT NULL,
        email_id TEXT,
        link_url TEXT NOT NULL,
        event_id TEXT,
        clicked_at TEXT NOT NULL
      );
      CREATE INDEX email_clicks_lead ON email_clicks(lead_id, clicked_at);

      CREATE TABLE engine_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'lead search index',
    // A trigram index answers "contains" searches over name, email and phone without scanning
    // every lead. It follows the leads table by rowid (Leadbell never runs VACUUM, which is what
    // could renumber the rowids of a table without an integer primary key).
    sql: `
      CREATE VIRTUAL TABLE leads_search USING fts5(
        email, first_name, last_name, phone,
        content = 'leads', content_rowid = 'rowid', tokenize = 'trigram remove_diacritics 1'
      );
      INSERT INTO leads_search (leads_search) VALUES ('rebuild');
      CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
        INSERT INTO leads_search (rowid, email, first_name, last_name, phone)
        VALUES (new.rowid, new.email, new.first_name, new.last_name, new.phone);
      END;
      CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
        INSERT INTO leads_search (leads_search, rowid, email, first_name, last_name, phone)
        VALUES ('delete', old.rowid, old.email, old.first_name, old.last_name, old.phone);
      END;
      CREATE TRIGGER leads_search_update AFTER UPDATE OF email, first_name, last_name, phone ON leads BEGIN
        INSERT INTO leads_search (leads_search, rowid, email, first_name, last_name, phone)
        VALUES ('delete', old.rowid, old.email, old.first_name, old.last_name, old.phone);
        INSERT INTO leads_search (rowid, email, first_name, last_name, phone)
        VALUES (new.rowid, new.email, new.first_name, new.last_name, new.phone);
      END;
    `,
  },
  {
    version: 4,
    name: 'lead timeline index built after dispatch',
    // Resource ids (one per lead) are random keys: indexing them while a request waits for its
    // acknowledgement dirtied a page per request and halved ingest. The engine sets
    // dispatched = 1 soon after, off the receiver's path; the few undispatched events are
    // found through events_undispatched (see EventStore.forResources).
    sql: `
      DROP INDEX events_resource;
      CREATE INDEX events_resource ON events(resource_id, seq) WHERE dispatched = 1;
    `,
  },
  {
    version: 6,
    name: 'relayed requests: the relay request id, unique, so a redelivery is stored once',
    sql: `
      ALTER TABLE inbox ADD COLUMN relay_id TEXT;
      CREATE UNIQUE INDEX inbox_relay_id ON inbox(relay_id) WHERE relay_id IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'run lifecycle: typed step sub-states, call steps by integration',
    // Why a step was skipped was a flag inside its output JSON; now columns the engine can read
    // and guard on. `integration` names the outbox a call step waits in once handed over (null for local steps).
    sql: `
      ALTER TABLE steps ADD COLUMN skip_reason TEXT;
      ALTER TABLE steps ADD COLUMN blocked_by TEXT;
      ALTER TABLE steps ADD COLUMN not_configured INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE steps ADD COLUMN integration TEXT;
      UPDATE steps SET
        skip_reason = json_extract(output_json, '$.skipped'),
        blocked_by = json_extract(output_json, '$.blocked_by'),
        not_configured = coalesce(json_extract(output_json, '$.not_configured'), 0),
        output_json = NULL
      WHERE status = 'skipped' AND json_valid(output_json);
      CREATE INDEX steps_outbox ON steps(integration, name) WHERE status = 'running' AND integration IS NOT NULL;
    `,
  },
  {
    version: 9,
    name: 'triggers: where the flow runs (here, on Prefect, or both)',
    sql: `ALTER TABLE triggers ADD COLUMN run_on TEXT NOT NULL DEFAULT 'here';`,
  },
  {
    version: 10,
    name: 'steps: only the index a query uses, over the steps waiting to retry',
    // Every step's insert and each of its status changes rewrote steps_status, and running call
    // steps steps_outbox, yet no query reads either: steps are found by run, and the one query by
    // status (calls waiting to retry, when their integration's settings change) needs only the
    // few pending steps with a next attempt. Fewer index pages written with each engine commit.
    sql: `
      DROP INDEX steps_status;
      DROP INDEX steps_outbox;
      CREATE INDEX steps_waiting ON steps(integration, next_attempt_at) WHERE status = 'pending' AND next_attempt_at IS NOT NULL;
    `,
  },
  {
    version: 11,
    name: 'runs and trigger firings: drop the event_id indexes no query reads',
    // Written with every run and every firing (three of each per opt-in); runs are read by id,
    // lead and status, firings by trigger and resource (firings_window), never by event.
    sql: `
      DROP INDEX runs_event;
      DROP INDEX firings_event;
    `,
  },
  {
    version: 12,
    name: 'steps: no unique index over the idempotency key',
    // The key is derived from (run_id, idx) (stepIdempotencyKey), which is already unique, so its
    // own UNIQUE index was a fourth b-tree written with every step insert for nothing. SQLite
    // cannot drop a column constraint: the table is rebuilt (its rowids are referenced nowhere).
    sql: `
      CREATE TABLE steps_rebuilt (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id),
        idx INTEGER NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        input_json TEXT,
        output_json TEXT,
        error TEXT,
        next_attempt_at TEXT,
        idempotency_key TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        skip_reason TEXT,
        blocked_by TEXT,
        not_configured INTEGER NOT NULL DEFAULT 0,
        integration TEXT,
        UNIQUE (run_id, idx)
      );
      INSERT INTO steps_rebuilt (id, run_id, idx, name, status, attempts, input_json, output_json, error, next_attempt_at,
                                 idempotency_key, updated_at, skip_reason, blocked_by, not_configured, integration)
        SELECT id, run_id, idx, name, status, attempts, input_json, output_json, error, next_attempt_at,
               idempotency_key, updated_at, skip_reason, blocked_by, not_configured, integration
        FROM steps ORDER BY rowid;
      DROP TABLE steps;
      ALTER TABLE steps_rebuilt RENAME TO steps;
      CREATE INDEX steps_waiting ON steps(integration, next_attempt_at) WHERE status = 'pending' AND next_attempt_at IS NOT NULL;
    `,
  },
  {
    version: 13,
    name: "inbox: an 'ignored' outcome for a sender's events Leadbell makes nothing of",
    // Loops sends every event type to one address: the ones that are not opens or clicks are
    // acknowledged and kept like refusals (pruned by age and size), not as accepted requests, which
    // are kept for good. The outcome's CHECK constraint cannot be altered: the table is rebuilt
    // with the same ids (events.inbox_id points at them).
    sql: `
      CREATE TABLE inbox_rebuilt (
        id INTEGER PRIMARY KEY,
        received_at TEXT NOT NULL,
        endpoint TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        client_ip TEXT NOT NULL,
        via TEXT NOT NULL,
        headers_json TEXT NOT NULL,
        content_type TEXT,
        body BLOB NOT NULL,
        body_size INTEGER NOT NULL,
        body_truncated INTEGER NOT NULL DEFAULT 0,
        status INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'rejected', 'spam', 'ignored')),
        reason TEXT,
        event_id TEXT,
        relay_id TEXT
      );
      INSERT INTO inbox_rebuilt (id, received_at, endpoint, method, path, client_ip, via, headers_json, content_type, body,
                                 body_size, body_truncated, status, outcome, reason, event_id, relay_id)
        SELECT id, received_at, endpoint, method, path, client_ip, via, headers_json, content_type, body,
               body_size, body_truncated, status, outcome, reason, event_id, relay_id
        FROM inbox ORDER BY id;
      DROP TABLE inbox;
      ALTER TABLE inbox_rebuilt RENAME TO inbox;
      CREATE INDEX inbox_endpoint ON inbox(endpoint, id);
      CREATE INDEX inbox_outcome ON inbox(outcome, id) WHERE outcome != 'accepted';
      CREATE UNIQUE INDEX inbox_relay_id ON inbox(relay_id) WHERE relay_id IS NOT NULL;
    `,
  },
  {
    version: 14,
    name: "inbox: accepted requests by the time they arrived",
    // Home's "Events today" and the Events list it opens count accepted requests since midnight.
    // Accepted requests are kept for good, so without this the count read the whole inbox (75 ms
    // at 140 MB). Partial and in arrival order, it costs the receiver one page at the index's end.
    sql: `CREATE INDEX inbox_accepted_received ON inbox(received_at) WHERE outcome = 'accepted';`,
  },
  {
    version: 15,
    name: 'app health from real outcomes; what kind of failure a step met',
    // Each app's last success and last failure (in words: shared/failure-words.ts), whether its
    // lane waits for a new key, and the failure episode the owner was last told about (the bell
    // rings once per app per episode). A step keeps the kind of its last failure beside the raw
    // error, so every view words it the same.
    sql: `
      ALTER TABLE steps ADD COLUMN failure_kind TEXT;
      ALTER TABLE steps ADD COLUMN failure_said TEXT;
      CREATE TABLE app_health (
        integration TEXT PRIMARY KEY,
        last_success_at TEXT,
        last_failure_at TEXT,
        last_failure_kind TEXT,
        last_failure_said TEXT,
        last_failure_error TEXT,
        key_refused_at TEXT,
        episode INTEGER NOT NULL DEFAULT 0,
        told_episode INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX steps_failed ON steps(integration, name) WHERE status IN ('failed', 'dead');
    `,
  },
  {
    version: 16,
    name: "inbox: a 'held' outcome and the body's shape, for leads in a shape nobody has mapped yet; saved mappings",
    // A held request was answered 2xx and waits, whole, for the owner to show Leadbell which field
    // is the email; its shape groups it with the other requests from that sender. Held requests
    // are not pruned (retention skips them) but count toward the inbox's size. The CHECK cannot be
    // altered, so the table is rebuilt with the same ids, as in migration 13.
    sql: `
      CREATE TABLE inbox_rebuilt (
        id INTEGER PRIMARY KEY,
        received_at TEXT NOT NULL,
        endpoint TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        client_ip TEXT NOT NULL,
        via TEXT NOT NULL,
        headers_json TEXT NOT NULL,
        content_type TEXT,
        body BLOB NOT NULL,
        body_size INTEGER NOT NULL,
        body_truncated INTEGER NOT NULL DEFAULT 0,
        status INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'rejected', 'spam', 'ignored', 'held')),
        reason TEXT,
        event_id TEXT,
        relay_id TEXT,
        shape TEXT
      );
      INSERT INTO inbox_rebuilt (id, received_at, endpoint, method, path, client_ip, via, headers_json, content_type, body,
                                 body_size, body_truncated, status, outcome, reason, event_id, relay_id)
        SELECT id, received_at, endpoint, method, path, client_ip, via, headers_json, content_type, body,
               body_size, body_truncated, status, outcome, reason, event_id, relay_id
        FROM inbox ORDER BY id;
      DROP TABLE inbox;
      ALTER TABLE inbox_rebuilt RENAME TO inbox;
      CREATE INDEX inbox_endpoint ON inbox(endpoint, id);
      CREATE INDEX inbox_outcome ON inbox(outcome, id) WHERE outcome != 'accepted';
      CREATE UNIQUE INDEX inbox_relay_id ON inbox(relay_id) WHERE relay_id IS NOT NULL;
      CREATE INDEX inbox_accepted_received ON inbox(received_at) WHERE outcome = 'accepted';
      -- The preview reads the last requests of a shape, held or not.
      CREATE INDEX inbox_shape ON inbox(endpoint, shape, id) WHERE shape IS NOT NULL;

      CREATE TABLE mappings (
        id INTEGER PRIMARY KEY,
        endpoint TEXT NOT NULL,
        shape TEXT NOT NULL,
        mapping_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (endpoint, shape)
      );
    `,
  },
  {
    version: 17,
    name: 'inbox: a replayed request points at the request it replays',
    // Events replays stored requests through the receiver (api/replay-requests.ts); the replay's
    // own row names the original, so the original shows what its replay became and a bulk replay
    // passes over requests that already became events.
    sql: `
      ALTER TABLE inbox ADD COLUMN replay_of INTEGER;
      CREATE INDEX inbox_replay_of ON inbox(replay_of) WHERE replay_of IS NOT NULL;
    `,
  },
  {
    version: 24,
    name: 'leads: the stage the owner sets, tags, former emails; a lead\'s notes and the owner\'s changes',
    // Tags and former emails are short lists read with the lead: JSON arrays in the row, filtered
    // with json_each. Former emails keep a merged or re-addressed lead's old events on its timeline.
    sql: `
      ALTER TABLE leads ADD COLUMN owner_stage TEXT NOT NULL DEFAULT 'new';
      ALTER TABLE leads ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE leads ADD COLUMN former_emails TEXT NOT NULL DEFAULT '[]';
      CREATE INDEX leads_owner_stage ON leads(owner_stage, created_at);

      CREATE TABLE lead_activity (
        id INTEGER PRIMARY KEY,
        lead_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT,
        detail_json TEXT NOT NULL DEFAULT '{}',
        at TEXT NOT NULL
      );
      CREATE INDEX lead_activity_lead ON lead_activity(lead_id, at);
    `,
  },
  {
    version: 25,
    name: 'leads: do not contact (why, from where, since when) and the test mark',
    sql: `
      ALTER TABLE leads ADD COLUMN dnc_reason TEXT;
      ALTER TABLE leads ADD COLUMN dnc_source TEXT;
      ALTER TABLE leads ADD COLUMN dnc_at TEXT;
      ALTER TABLE leads ADD COLUMN dnc_note TEXT;
      ALTER TABLE leads ADD COLUMN is_test INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 26,
    name: "reminders: 'remind me' about a lead at a time, kept until they ring",
    sql: `
      CREATE TABLE reminders (
        id TEXT PRIMARY KEY,
        lead_id TEXT NOT NULL,
        due_at TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        rang_at TEXT,
        missed INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX reminders_due ON reminders(due_at) WHERE rang_at IS NULL;
      CREATE INDEX reminders_lead ON reminders(lead_id, due_at);
    `,
  },
  {
    version: 27,
    name: 'erasures: a record of each with no personal data, and the calls that erase the person in connected apps',
    // The search index drops a deleted lead's tokens at once (FTS5 secure-delete) instead of at its
    // next merge, so an erased email's trigrams do not linger in its segments.
    sql: `
      CREATE TABLE erasures (
        id TEXT PRIMARY KEY,
        requested_at TEXT NOT NULL,
        finished_at TEXT,
        summary_json TEXT NOT NULL
      );
      CREATE TABLE erasure_calls (
        id TEXT PRIMARY KEY,
        erasure_id TEXT NOT NULL REFERENCES erasures(id),
        app TEXT NOT NULL,
        target_json TEXT,
        status TEXT NOT NULL CHECK (status IN ('waiting', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        next_attempt_at TEXT NOT NULL,
        done_at TEXT,
        outcome TEXT
      );
      CREATE INDEX erasure_calls_waiting ON erasure_calls(next_attempt_at) WHERE status = 'waiting';
      CREATE INDEX erasure_calls_erasure ON erasure_calls(erasure_id);
      INSERT INTO leads_search (leads_search, rank) VALUES ('secure-delete', 1);
    `,
  },
];

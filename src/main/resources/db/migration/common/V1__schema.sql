-- One schema for SQLite and PostgreSQL. Times are epoch milliseconds (BIGINT) so comparisons and
-- arithmetic read the same in both; JSON is TEXT. ${id_pk} is the only dialect placeholder.

CREATE TABLE meta (
    meta_key   TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE pack_snapshots (
    hash       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    content    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE batches (
    id              TEXT PRIMARY KEY,
    provider        TEXT NOT NULL,
    phase           TEXT NOT NULL,
    status          TEXT NOT NULL,
    request_count   INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    ended_at        BIGINT,
    results_fetched BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE units (
    unit_key        TEXT PRIMARY KEY,
    pack_hash       TEXT NOT NULL,
    phase           TEXT NOT NULL,
    persona_key     TEXT NOT NULL,
    arc_key         TEXT NOT NULL,
    topic_key       TEXT NOT NULL,
    variation_index INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'leased', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    failure_reason  TEXT,
    failure_detail  TEXT,
    lease_owner     TEXT,
    lease_until     BIGINT,
    batch_id        TEXT REFERENCES batches (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX units_state_phase ON units (state, phase);
CREATE INDEX units_batch ON units (batch_id);

CREATE TABLE batch_units (
    batch_id   TEXT NOT NULL REFERENCES batches (id),
    unit_key   TEXT NOT NULL REFERENCES units (unit_key),
    custom_id  TEXT NOT NULL,
    PRIMARY KEY (batch_id, unit_key)
);

CREATE TABLE conversations (
    id               TEXT PRIMARY KEY,
    unit_key         TEXT UNIQUE REFERENCES units (unit_key),
    persona_key      TEXT NOT NULL,
    arc_key          TEXT NOT NULL,
    topic_key        TEXT NOT NULL,
    variation_index  INTEGER NOT NULL,
    phase            TEXT NOT NULL,
    session_context  TEXT,
    expected_outcome TEXT,
    source           TEXT NOT NULL CHECK (source IN ('generated', 'imported')),
    provider         TEXT,
    model            TEXT,
    content_hash     TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX conversations_created ON conversations (created_at, id);
CREATE INDEX conversations_persona ON conversations (persona_key);
CREATE INDEX conversations_arc ON conversations (arc_key);
CREATE INDEX conversations_topic ON conversations (topic_key);
CREATE INDEX conversations_phase ON conversations (phase);
CREATE INDEX conversations_hash ON conversations (content_hash);

CREATE TABLE turns (
    conversation_id    TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    idx                INTEGER NOT NULL,
    role               TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content            TEXT NOT NULL,
    emotion_primary    TEXT,
    emotion_secondary  TEXT,
    emotion_intensity  DOUBLE PRECISION,
    emotion_confidence DOUBLE PRECISION,
    emotion_valence    TEXT,
    phase              TEXT,
    learning_objective TEXT,
    skills             TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (conversation_id, idx)
);

-- The original text survives as old_content of version 1; turns.content holds the latest.
CREATE TABLE turn_edits (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    idx             INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    old_content     TEXT NOT NULL,
    new_content     TEXT NOT NULL,
    editor          TEXT,
    at              BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, idx, version)
);

CREATE TABLE generations (
    conversation_id    TEXT PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    provider           TEXT NOT NULL,
    model              TEXT NOT NULL,
    temperature        DOUBLE PRECISION NOT NULL,
    input_tokens       BIGINT NOT NULL,
    output_tokens      BIGINT NOT NULL,
    cache_read_tokens  BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    cost_usd           DOUBLE PRECISION NOT NULL,
    latency_ms         BIGINT NOT NULL,
    stop_reason        TEXT,
    attempts           INTEGER NOT NULL,
    request_id         TEXT
);

-- Every billed call, including failed and truncated ones; no foreign key so a call is recorded
-- even when its unit was never planned (imports, judge calls).
CREATE TABLE ledger (
    id                 ${id_pk},
    unit_key           TEXT,
    phase              TEXT NOT NULL,
    provider           TEXT NOT NULL,
    model              TEXT NOT NULL,
    request_id         TEXT,
    input_tokens       BIGINT NOT NULL,
    output_tokens      BIGINT NOT NULL,
    cache_read_tokens  BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    cost_usd           DOUBLE PRECISION NOT NULL,
    batch              BOOLEAN NOT NULL DEFAULT FALSE,
    outcome            TEXT NOT NULL CHECK (outcome IN ('stored', 'failed', 'retried')),
    at                 BIGINT NOT NULL
);
CREATE INDEX ledger_at ON ledger (at);
CREATE INDEX ledger_unit ON ledger (unit_key);

CREATE TABLE quality_flags (
    id                      ${id_pk},
    conversation_id         TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    code                    TEXT NOT NULL,
    severity                TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    reason                  TEXT NOT NULL,
    turn_index              INTEGER,
    related_conversation_id TEXT
);
CREATE INDEX quality_flags_conversation ON quality_flags (conversation_id);
CREATE INDEX quality_flags_code ON quality_flags (code, conversation_id);
CREATE INDEX quality_flags_severity ON quality_flags (severity, conversation_id);

CREATE TABLE scores (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    empathy         DOUBLE PRECISION NOT NULL,
    clarity         DOUBLE PRECISION NOT NULL,
    appropriateness DOUBLE PRECISION NOT NULL,
    brand_voice     DOUBLE PRECISION NOT NULL,
    overall         DOUBLE PRECISION NOT NULL,
    method          TEXT NOT NULL,
    reasons         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX scores_overall ON scores (overall);

CREATE TABLE reviews (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    seed            BOOLEAN NOT NULL DEFAULT FALSE,
    notes           TEXT,
    reviewer        TEXT,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX reviews_status ON reviews (status);

CREATE TABLE review_actions (
    id              ${id_pk},
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    action          TEXT NOT NULL,
    detail          TEXT,
    actor           TEXT,
    at              BIGINT NOT NULL
);
CREATE INDEX review_actions_conversation ON review_actions (conversation_id, at);

CREATE TABLE jobs (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    state      TEXT NOT NULL,
    done       BIGINT NOT NULL DEFAULT 0,
    total      BIGINT NOT NULL DEFAULT 0,
    message    TEXT,
    started_at BIGINT NOT NULL,
    ended_at   BIGINT
);

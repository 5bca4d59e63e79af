-- brun eval: a run is one adapter (and optional baseline) replaying one held-out set, identified by its
-- manifest (models, endpoints without keys, dataset hash, judge, prompts). Every reply and every judge
-- verdict is stored under its key as it arrives, so a killed run resumes without asking or paying twice.
CREATE TABLE eval_runs (
    id            TEXT PRIMARY KEY,
    manifest_hash TEXT NOT NULL,
    manifest      TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    finished_at   BIGINT
);
CREATE INDEX eval_runs_manifest ON eval_runs (manifest_hash);

-- model_role: 'adapter' (the fine-tuned model) or 'baseline'
CREATE TABLE eval_replies (
    run_id          TEXT NOT NULL REFERENCES eval_runs (id),
    conversation_id TEXT NOT NULL,
    turn_index      INTEGER NOT NULL,
    model_role      TEXT NOT NULL,
    reply           TEXT NOT NULL,
    stop_reason     TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (run_id, conversation_id, turn_index, model_role)
);

-- kind: 'rubric', 'pair' (model's reply shown first) or 'pair_swapped' (teacher's first); verdict is JSON
CREATE TABLE eval_judgements (
    run_id          TEXT NOT NULL REFERENCES eval_runs (id),
    conversation_id TEXT NOT NULL,
    turn_index      INTEGER NOT NULL,
    model_role      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    verdict         TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (run_id, conversation_id, turn_index, model_role, kind)
);

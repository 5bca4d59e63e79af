-- Which approved seed conversations an expansion unit's prompt carried as examples, so a later change to a
-- seed (rejected, edited) reaches every conversation generated from it. Keyed by unit: the prompt is built
-- before the call (a batch is submitted long before its results arrive); the conversation joins by unit_key.
-- No foreign keys: a unit's prompt is recorded before its conversation exists, and a removed seed keeps its trace.
CREATE TABLE seed_lineage (
    unit_key             TEXT NOT NULL,
    seed_conversation_id TEXT NOT NULL,
    position             INTEGER NOT NULL,
    PRIMARY KEY (unit_key, seed_conversation_id)
);
CREATE INDEX seed_lineage_seed ON seed_lineage (seed_conversation_id);

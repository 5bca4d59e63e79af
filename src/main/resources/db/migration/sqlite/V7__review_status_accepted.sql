-- 'accepted' = certified by its stratum's sample, unread by a person (issue 12). SQLite cannot alter a CHECK
-- constraint, so the table is rebuilt with the same columns and index; nothing references reviews.
CREATE TABLE reviews_rebuilt (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'accepted')),
    seed            BOOLEAN NOT NULL DEFAULT FALSE,
    notes           TEXT,
    reviewer        TEXT,
    updated_at      BIGINT NOT NULL
);
INSERT INTO reviews_rebuilt (conversation_id, status, seed, notes, reviewer, updated_at)
    SELECT conversation_id, status, seed, notes, reviewer, updated_at FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_rebuilt RENAME TO reviews;
CREATE INDEX reviews_status ON reviews (status);

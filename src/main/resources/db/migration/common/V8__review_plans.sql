-- Acceptance sampling (issue 12). A plan splits the reviewable conversations into strata; every member of a
-- stratum is stored with its place in a seeded random reading order (the sample comes first), so the same
-- walk is shown to every reviewer, later conversations never join a stratum that was decided without them,
-- and a rejected stratum can be read in full in the same order.
CREATE TABLE review_plans (
    id             ${id_pk},
    created_at     BIGINT NOT NULL,
    strata_by      TEXT NOT NULL,
    defect_rate    DOUBLE PRECISION NOT NULL,
    confidence     DOUBLE PRECISION NOT NULL,
    accept_defects INTEGER NOT NULL,
    seed           BIGINT NOT NULL,
    overlap        DOUBLE PRECISION NOT NULL DEFAULT 0,
    state          TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    closed_at      BIGINT
);

CREATE TABLE review_strata (
    id            ${id_pk},
    plan_id       BIGINT NOT NULL REFERENCES review_plans (id),
    stratum_key   TEXT NOT NULL,
    label         TEXT NOT NULL,
    conversations INTEGER NOT NULL,
    sample_size   INTEGER NOT NULL,
    verdict       TEXT NOT NULL DEFAULT 'open' CHECK (verdict IN ('open', 'accepted', 'rejected')),
    reviewed      INTEGER NOT NULL DEFAULT 0,
    defects       INTEGER NOT NULL DEFAULT 0,
    upper_bound   DOUBLE PRECISION,
    created_at    BIGINT NOT NULL,
    decided_at    BIGINT
);
CREATE INDEX review_strata_plan ON review_strata (plan_id);

-- reviewers = how many people the plan asks to read this member (2 for the --overlap share); assigned_to is
-- left for reviewer assignment.
CREATE TABLE review_members (
    stratum_id      BIGINT NOT NULL REFERENCES review_strata (id),
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    sampled         BOOLEAN NOT NULL,
    reviewers       INTEGER NOT NULL DEFAULT 1,
    assigned_to     TEXT,
    PRIMARY KEY (stratum_id, conversation_id)
);
CREATE INDEX review_members_order ON review_members (stratum_id, position);
CREATE INDEX review_members_conversation ON review_members (conversation_id);

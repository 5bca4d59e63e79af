-- A call's line before its reply: written before the call is sent, so that every process sees what the others
-- may be spending (the budget is one per project) and a crash leaves a trace of calls that may have been billed.
-- The reply's ledger line replaces it in the same transaction; a line left 'in_flight' by a process that is
-- gone turns 'unconfirmed' and counts at its expected cost.
CREATE TABLE calls_in_flight (
    id           ${id_pk},
    unit_key     TEXT,
    phase        TEXT NOT NULL,
    attempt      INTEGER NOT NULL,
    model        TEXT NOT NULL,
    owner        TEXT NOT NULL,
    expected_usd DOUBLE PRECISION NOT NULL,
    worst_usd    DOUBLE PRECISION NOT NULL,
    batch        BOOLEAN NOT NULL DEFAULT FALSE,
    state        TEXT NOT NULL CHECK (state IN ('in_flight', 'unconfirmed')),
    at           BIGINT NOT NULL
);
CREATE INDEX calls_in_flight_unit ON calls_in_flight (unit_key);

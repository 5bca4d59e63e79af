-- Rate-limit pacing shared by every process on a project, so that several processes on one API key pace as one:
-- the newest rate-limit headers any of them received (per provider endpoint), and every call reserved against
-- them that has not ended. A reply's headers count each call that reached the provider before it; the calls
-- reserved later are the ones a process must subtract, whichever process sent them.
CREATE TABLE pacing_limits (
    scope              TEXT PRIMARY KEY,
    observed_at        BIGINT NOT NULL,
    observations       BIGINT NOT NULL,
    requests_limit     BIGINT, requests_remaining     BIGINT, requests_reset     BIGINT,
    tokens_limit       BIGINT, tokens_remaining       BIGINT, tokens_reset       BIGINT,
    input_limit        BIGINT, input_remaining        BIGINT, input_reset        BIGINT,
    output_limit       BIGINT, output_remaining       BIGINT, output_reset       BIGINT
);
-- A process that died leaves its rows; they are ignored and removed once older than the longest call can last.
CREATE TABLE pacing_calls (
    id            ${id_pk},
    scope         TEXT NOT NULL,
    owner         TEXT NOT NULL,
    input_tokens  BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    reserved_at   BIGINT NOT NULL
);
CREATE INDEX pacing_calls_scope ON pacing_calls (scope, reserved_at);

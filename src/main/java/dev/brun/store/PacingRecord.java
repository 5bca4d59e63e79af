package dev.brun.store;

import java.util.List;

/**
 * Shared rate-limit pacing as stored: the newest headers of one provider endpoint (null before any) and the calls
 * reserved against it that have not ended. Times are epoch milliseconds.
 */
public record PacingRecord(Limits newest, List<Call> calls) {
    public PacingRecord {
        calls = List.copyOf(calls);
    }

    /** One limit from the headers: size, level, and when it would be full again (null when not said). */
    public record Window(long limit, long remaining, Long resetMillis) {}

    /** The newest headers: any window may be null when the provider did not send it. */
    public record Limits(long observedAtMillis, long observations, Window requests, Window tokens, Window input, Window output) {}

    public record Call(long inputTokens, long outputTokens, long reservedAtMillis) {}
}

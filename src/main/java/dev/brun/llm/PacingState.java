package dev.brun.llm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What a {@link Pacer} knows about a rate limit: the newest headers a reply brought and the calls reserved
 * against them. Kept in memory for one process ({@link LocalPacingState}) or in the project's database, so
 * that every process on one key paces from the same picture: the provider counts the calls of all of them.
 */
public interface PacingState {
    /** A call reserved and not ended yet: its tokens and when it was reserved. */
    record Call(long inputTokens, long outputTokens, Instant reservedAt) {}

    /**
     * @param newest       the newest non-empty headers seen, or null before any
     * @param observations how many non-empty headers have been seen (capped; only "none", "few" and "many" matter)
     * @param calls        every call reserved and not ended, in every process sharing this state
     * @param shared       whether other processes' calls are among {@code calls}
     */
    record View(RateLimitSnapshot newest, long observations, List<Call> calls, boolean shared) {}

    /**
     * Judges one call against the current view and records it when {@code decide} answers zero, with no other
     * reservation on this state (in any process sharing it) between the judging and the recording.
     *
     * @return decide's answer: zero when the call was recorded, otherwise how long to wait before asking again
     */
    Duration reserveIf(Call call, Function<View, Duration> decide);

    /**
     * A call of these token counts has ended: the headers of its reply (null or empty when it brought none) are
     * kept when they are the newest, and one such call is forgotten, in one step, so that no other reservation
     * sees neither the call nor the headers that count it.
     */
    void end(long inputTokens, long outputTokens, RateLimitSnapshot observed);

    /** Headers that came without a call of ours ending (a reply to a call reserved elsewhere): kept when the newest. */
    void observe(RateLimitSnapshot observed);
}

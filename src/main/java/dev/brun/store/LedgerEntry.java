package dev.brun.store;

import java.time.Instant;

import dev.brun.conversation.Generation;

/**
 * One billed call. id is null until stored; unitKey may be null (judge calls, imports). cacheWrite1hTokens
 * is the part of cacheWriteTokens written with the one-hour cache lifetime.
 */
public record LedgerEntry(Long id, String unitKey, String phase, String provider, String model, String requestId,
                          long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                          long cacheWrite1hTokens, double costUsd, boolean batch, LedgerOutcome outcome, Instant at) {

    /** A line whose cache writes (if any) were all five-minute writes. */
    public LedgerEntry(Long id, String unitKey, String phase, String provider, String model, String requestId,
                       long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                       double costUsd, boolean batch, LedgerOutcome outcome, Instant at) {
        this(id, unitKey, phase, provider, model, requestId, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens,
                0, costUsd, batch, outcome, at);
    }

    /** The ledger line for the call a generation record describes. */
    public static LedgerEntry of(String unitKey, String phase, Generation g, boolean batch, LedgerOutcome outcome, Instant at) {
        return of(unitKey, phase, g, 0, batch, outcome, at);
    }

    /** The same, with the one-hour part of the generation's cache writes. */
    public static LedgerEntry of(String unitKey, String phase, Generation g, long cacheWrite1hTokens, boolean batch,
                                 LedgerOutcome outcome, Instant at) {
        return new LedgerEntry(null, unitKey, phase, g.provider(), g.model(), g.requestId(), g.inputTokens(),
                g.outputTokens(), g.cacheReadTokens(), g.cacheWriteTokens(), cacheWrite1hTokens, g.costUsd(), batch, outcome, at);
    }
}

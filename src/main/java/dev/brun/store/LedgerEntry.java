package dev.brun.store;

import java.time.Instant;

import dev.brun.conversation.Generation;

/** One billed call. id is null until stored; unitKey may be null (judge calls, imports). */
public record LedgerEntry(Long id, String unitKey, String phase, String provider, String model, String requestId,
                          long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                          double costUsd, boolean batch, LedgerOutcome outcome, Instant at) {

    /** The ledger line for the call a generation record describes. */
    public static LedgerEntry of(String unitKey, String phase, Generation g, boolean batch, LedgerOutcome outcome, Instant at) {
        return new LedgerEntry(null, unitKey, phase, g.provider(), g.model(), g.requestId(), g.inputTokens(),
                g.outputTokens(), g.cacheReadTokens(), g.cacheWriteTokens(), g.costUsd(), batch, outcome, at);
    }
}

package dev.brun.plan;

import dev.brun.pack.Arc;

/**
 * Output sizes per conversation, from the arc's exchange range. A user message plus emotion metadata, and
 * an assistant reply plus phase, objective and skills, come to roughly {@link #TOKENS_PER_EXCHANGE} tokens.
 */
public final class OutputBudget {
    public static final int TOKENS_PER_EXCHANGE = 330;
    public static final int OVERHEAD_TOKENS = 90;
    public static final int MAX_TOKENS_CAP = 16_000;

    private OutputBudget() {}

    public static long expectedTokens(Arc arc) {
        double exchanges = (arc.minExchanges() + arc.maxExchanges()) / 2.0;
        return Math.round(exchanges * TOKENS_PER_EXCHANGE + OVERHEAD_TOKENS);
    }

    /** max_tokens for a call: room for the longest conversation the arc allows, with headroom. */
    public static int maxTokens(Arc arc) {
        long worst = Math.round(arc.maxExchanges() * TOKENS_PER_EXCHANGE * 1.6 + OVERHEAD_TOKENS * 2);
        return (int) Math.min(MAX_TOKENS_CAP, Math.max(1024, worst));
    }

    /** The larger max_tokens used for the one retry after a max_tokens stop. */
    public static int retryMaxTokens(int previous) {
        return Math.min(MAX_TOKENS_CAP * 2, previous * 2);
    }
}

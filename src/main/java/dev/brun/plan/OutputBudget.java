package dev.brun.plan;

import dev.brun.pack.Arc;

/**
 * Output sizes per conversation, from the arc's exchange range and the length of real advisor conversations.
 * Calibration (see BENCHMARKS.md, "Cost"): in the reference training file of the platform we replace
 * (18 conversations: 128 client turns, 62 written consultant replies) a client turn averages {@value #USER_TURN_CHARS} characters and a
 * consultant turn {@value #ASSISTANT_TURN_CHARS}; the conversation contract adds about
 * {@value #FIELDS_CHARS_PER_EXCHANGE} characters of fields per exchange (emotion, phase, objective, skills,
 * JSON keys) and about {@value #CONVERSATION_FIELDS_CHARS} per conversation (session context and expected
 * outcome, whose reference means are 196 and 128 characters, plus keys). Characters become tokens the way
 * every estimate here does ({@link TokenCounter}).
 */
public final class OutputBudget {
    public static final int USER_TURN_CHARS = 885;
    public static final int ASSISTANT_TURN_CHARS = 2202;
    public static final int FIELDS_CHARS_PER_EXCHANGE = 380;
    public static final int CONVERSATION_FIELDS_CHARS = 385;
    public static final int TOKENS_PER_EXCHANGE =
            (int) Math.round((USER_TURN_CHARS + ASSISTANT_TURN_CHARS + FIELDS_CHARS_PER_EXCHANGE) / TokenCounter.CHARS_PER_TOKEN);
    public static final int OVERHEAD_TOKENS = (int) Math.round(CONVERSATION_FIELDS_CHARS / TokenCounter.CHARS_PER_TOKEN);
    public static final int MAX_TOKENS_CAP = 16_000;

    private OutputBudget() {}

    public static long expectedTokens(Arc arc) {
        double exchanges = (arc.minExchanges() + arc.maxExchanges()) / 2.0;
        return Math.round(exchanges * TOKENS_PER_EXCHANGE + OVERHEAD_TOKENS);
    }

    /** Characters of English text per word (spaces and punctuation included), to turn turn lengths into reading. */
    public static final double CHARS_PER_WORD = 6.0;

    /** Words a reviewer reads in one conversation of the arc: its exchanges at the reference turn lengths. */
    public static long expectedWords(Arc arc) {
        double exchanges = (arc.minExchanges() + arc.maxExchanges()) / 2.0;
        return Math.round(exchanges * (USER_TURN_CHARS + ASSISTANT_TURN_CHARS) / CHARS_PER_WORD);
    }

    /** max_tokens for a call: room for the longest conversation the arc allows, with headroom. */
    public static int maxTokens(Arc arc) {
        long worst = Math.round(arc.maxExchanges() * TOKENS_PER_EXCHANGE * 1.6 + OVERHEAD_TOKENS * 2);
        return (int) Math.min(MAX_TOKENS_CAP, Math.max(1024, worst));
    }

    /** Stored outputs of an arc needed before max_tokens follows them rather than the calibrated estimate. */
    public static final int EVIDENCE_MIN_OUTPUTS = 20;
    public static final double EVIDENCE_PERCENTILE = 0.95;
    public static final double EVIDENCE_MARGIN = 1.15;

    /**
     * max_tokens from the project's own stored outputs of this arc once there are {@value #EVIDENCE_MIN_OUTPUTS}:
     * their 95th percentile with a 15% margin, never above the calibrated {@link #maxTokens(Arc)}; the calibrated
     * value before that. A smaller limit matters under an output-tokens-per-minute limit, which is charged with
     * max_tokens when a call starts; the rare longer reply is retried once with {@link #retryMaxTokens}.
     */
    public static int maxTokens(Arc arc, java.util.List<Long> storedOutputTokens) {
        int calibrated = maxTokens(arc);
        if (storedOutputTokens == null || storedOutputTokens.size() < EVIDENCE_MIN_OUTPUTS) return calibrated;
        long[] sorted = storedOutputTokens.stream().mapToLong(Long::longValue).sorted().toArray();
        // nearest-rank percentile: the smallest value with at least 95% of the outputs at or below it
        long p95 = sorted[(int) Math.ceil(EVIDENCE_PERCENTILE * sorted.length) - 1];
        long withMargin = (long) Math.ceil(p95 * EVIDENCE_MARGIN);
        return (int) Math.min(calibrated, Math.max(256, withMargin));
    }

    /** The larger max_tokens used for the one retry after a max_tokens stop. */
    public static int retryMaxTokens(int previous) {
        return Math.min(MAX_TOKENS_CAP * 2, previous * 2);
    }
}

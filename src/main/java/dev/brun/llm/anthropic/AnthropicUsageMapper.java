package dev.brun.llm.anthropic;

import dev.brun.llm.Usage;
import dev.brun.llm.anthropic.AnthropicWire.WireUsage;

/**
 * Anthropic usage → Usage; input_tokens already excludes cache reads and writes. The one-hour share of the
 * cache writes comes from {@code cache_creation.ephemeral_1h_input_tokens}; without that breakdown (older
 * API versions, other servers speaking the protocol) every write counts as a five-minute write.
 */
public final class AnthropicUsageMapper {
    public Usage toUsage(WireUsage wire) {
        if (wire == null) return Usage.ZERO;
        long writes = n(wire.cacheCreationInputTokens());
        long oneHour = 0;
        if (wire.cacheCreation() != null) {
            oneHour = n(wire.cacheCreation().ephemeral1hInputTokens());
            writes = Math.max(writes, oneHour + n(wire.cacheCreation().ephemeral5mInputTokens()));
        }
        return new Usage(n(wire.inputTokens()), n(wire.outputTokens()), n(wire.cacheReadInputTokens()), writes, oneHour);
    }

    private static long n(Long value) { return value == null ? 0 : Math.max(0, value); }
}

package dev.brun.llm.anthropic;

import dev.brun.llm.Usage;
import dev.brun.llm.anthropic.AnthropicWire.WireUsage;

/** Anthropic usage → Usage; input_tokens already excludes cache reads and writes. */
public final class AnthropicUsageMapper {
    public Usage toUsage(WireUsage wire) {
        if (wire == null) return Usage.ZERO;
        return new Usage(n(wire.inputTokens()), n(wire.outputTokens()), n(wire.cacheReadInputTokens()), n(wire.cacheCreationInputTokens()));
    }

    private static long n(Long value) { return value == null ? 0 : value; }
}

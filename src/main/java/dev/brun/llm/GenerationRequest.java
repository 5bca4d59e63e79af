package dev.brun.llm;

import java.util.List;
import java.util.Objects;

/**
 * What the engine asks for: one conversation from one model. The tool is forced when present (Anthropic
 * tool use, OpenAI json_schema). Only temperature is sent, never top_p, because Sonnet and Haiku 4.5
 * reject both together.
 *
 * @param requestTag the unit key; used in logs, error messages and by the simulator, never sent as content
 */
public record GenerationRequest(String model, List<SystemBlock> system, String userMessage, ToolSpec tool,
                                double temperature, int maxTokens, String requestTag) {
    public GenerationRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(userMessage, "userMessage");
        system = system == null ? List.of() : List.copyOf(system);
        if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        if (temperature < 0 || temperature > 2) throw new IllegalArgumentException("temperature must be in [0, 2], was " + temperature);
        requestTag = requestTag == null ? "" : requestTag;
    }

    public GenerationRequest withMaxTokens(int newMaxTokens) {
        return new GenerationRequest(model, system, userMessage, tool, temperature, newMaxTokens, requestTag);
    }

    /** The longest cache lifetime any of the system blocks asks for (five minutes when none is cached). */
    public CacheTtl cacheTtl() {
        return system.stream().anyMatch(b -> b.ttl() == CacheTtl.ONE_HOUR) ? CacheTtl.ONE_HOUR : CacheTtl.FIVE_MINUTES;
    }

    /** Rough size of the prompt in tokens (characters / 4), used for pacing before the call. */
    public int estimatedInputTokens() {
        long chars = userMessage.length();
        for (SystemBlock block : system) chars += block.text().length();
        if (tool != null) chars += tool.inputSchema().toString().length() + tool.description().length();
        return (int) Math.min(Integer.MAX_VALUE, chars / 4 + 1);
    }
}

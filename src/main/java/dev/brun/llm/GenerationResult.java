package dev.brun.llm;

import tools.jackson.databind.JsonNode;

/**
 * One answered call.
 *
 * @param toolInput     the structured output (the forced tool's input, or the JSON object of an
 *                      OpenAI-compatible reply); null when the reply carried none
 * @param text          the reply's plain text, empty when none
 * @param requestId     the provider's request id (for support tickets and the spend ledger); may be empty
 * @param latencyMillis wall time of the successful attempt
 * @param attempts      how many HTTP attempts it took (1 = no retry)
 * @param rateLimit     the rate-limit headers of the successful reply
 */
public record GenerationResult(JsonNode toolInput, String text, StopReason stopReason, Usage usage,
                               String requestId, long latencyMillis, int attempts, RateLimitSnapshot rateLimit) {
    public GenerationResult {
        text = text == null ? "" : text;
        usage = usage == null ? Usage.ZERO : usage;
        requestId = requestId == null ? "" : requestId;
        rateLimit = rateLimit == null ? RateLimitSnapshot.NONE : rateLimit;
        stopReason = stopReason == null ? StopReason.OTHER : stopReason;
    }

    public boolean truncated() { return stopReason == StopReason.MAX_TOKENS; }
}

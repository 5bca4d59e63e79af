package dev.brun.llm;

/** Why the model stopped, normalized across providers. MAX_TOKENS means the output is truncated. */
public enum StopReason {
    END_TURN, TOOL_USE, MAX_TOKENS, STOP_SEQUENCE, REFUSAL, OTHER;

    /** Anthropic {@code stop_reason}. */
    public static StopReason fromAnthropic(String wire) {
        if (wire == null) return OTHER;
        return switch (wire) {
            case "end_turn" -> END_TURN;
            case "tool_use" -> TOOL_USE;
            case "max_tokens", "model_context_window_exceeded" -> MAX_TOKENS;
            case "stop_sequence" -> STOP_SEQUENCE;
            case "refusal" -> REFUSAL;
            default -> OTHER;
        };
    }

    /** OpenAI-compatible {@code finish_reason}. */
    public static StopReason fromOpenAi(String wire) {
        if (wire == null) return OTHER;
        return switch (wire) {
            case "stop" -> END_TURN;
            case "length" -> MAX_TOKENS;
            case "tool_calls", "function_call" -> TOOL_USE;
            case "content_filter" -> REFUSAL;
            default -> OTHER;
        };
    }
}

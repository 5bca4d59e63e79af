package dev.brun.llm.openai;

import tools.jackson.databind.JsonNode;

import java.util.List;

/** The OpenAI-compatible chat completions API as small records, serialized by {@link dev.brun.llm.WireJson#MAPPER}. */
public final class OpenAiWire {
    private OpenAiWire() {}

    /** Exactly one of maxTokens / maxCompletionTokens is set (newer OpenAI models accept only the latter). */
    public record ChatRequest(String model, List<ChatMessage> messages, Double temperature, Integer maxTokens,
                              Integer maxCompletionTokens, ResponseFormat responseFormat) {}

    public record ChatMessage(String role, String content) {}

    public record ResponseFormat(String type, JsonSchemaFormat jsonSchema) {}

    public record JsonSchemaFormat(String name, String description, JsonNode schema, Boolean strict) {}

    public record ChatResponse(String id, List<Choice> choices, ChatUsage usage) {}

    public record Choice(Integer index, ResponseMessage message, String finishReason) {}

    public record ResponseMessage(String role, String content, String refusal) {}

    public record ChatUsage(Long promptTokens, Long completionTokens, PromptTokensDetails promptTokensDetails) {}

    public record PromptTokensDetails(Long cachedTokens) {}

    public record ErrorResponse(ErrorDetail error) {}

    public record ErrorDetail(String message, String type, String param, String code) {}
}

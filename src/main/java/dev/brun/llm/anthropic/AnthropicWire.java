package dev.brun.llm.anthropic;

import tools.jackson.databind.JsonNode;

import java.util.List;

/** The Anthropic Messages API as small records, serialized by {@link dev.brun.llm.WireJson#MAPPER}. */
public final class AnthropicWire {
    private AnthropicWire() {}

    public record MessagesRequest(String model, int maxTokens, List<SystemText> system, List<Message> messages,
                                  Double temperature, List<Tool> tools, ToolChoice toolChoice) {}

    public record SystemText(String type, String text, CacheControl cacheControl) {}

    public record CacheControl(String type) {
        public static final CacheControl EPHEMERAL = new CacheControl("ephemeral");
    }

    public record Message(String role, String content) {}

    public record Tool(String name, String description, JsonNode inputSchema) {}

    public record ToolChoice(String type, String name) {}

    public record MessagesResponse(String id, String type, String role, String model, List<ContentBlock> content,
                                   String stopReason, WireUsage usage) {}

    /** Every block kind in one record: text has {@code text}; tool_use has id, name and input. */
    public record ContentBlock(String type, String text, String id, String name, JsonNode input) {}

    public record WireUsage(Long inputTokens, Long outputTokens, Long cacheCreationInputTokens, Long cacheReadInputTokens) {}

    public record ErrorResponse(String type, ErrorDetail error) {}

    public record ErrorDetail(String type, String message) {}
}

package dev.brun.llm.anthropic;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.brun.llm.CacheTtl;
import tools.jackson.databind.JsonNode;

import java.util.List;

/** The Anthropic Messages API as small records, serialized by {@link dev.brun.llm.WireJson#MAPPER}. */
public final class AnthropicWire {
    private AnthropicWire() {}

    public record MessagesRequest(String model, int maxTokens, List<SystemText> system, List<Message> messages,
                                  Double temperature, List<Tool> tools, ToolChoice toolChoice) {}

    public record SystemText(String type, String text, CacheControl cacheControl) {}

    /** ttl is left out for the default five minutes, so such requests stay exactly what they were before ttl existed. */
    public record CacheControl(String type, String ttl) {
        public static final CacheControl EPHEMERAL = new CacheControl("ephemeral", null);
        public static final CacheControl EPHEMERAL_1H = new CacheControl("ephemeral", "1h");

        public static CacheControl of(CacheTtl ttl) { return ttl == CacheTtl.ONE_HOUR ? EPHEMERAL_1H : EPHEMERAL; }
    }

    public record Message(String role, String content) {}

    public record Tool(String name, String description, JsonNode inputSchema) {}

    public record ToolChoice(String type, String name) {}

    public record MessagesResponse(String id, String type, String role, String model, List<ContentBlock> content,
                                   String stopReason, WireUsage usage) {}

    /** Every block kind in one record: text has {@code text}; tool_use has id, name and input. */
    public record ContentBlock(String type, String text, String id, String name, JsonNode input) {}

    public record WireUsage(Long inputTokens, Long outputTokens, Long cacheCreationInputTokens, Long cacheReadInputTokens,
                            CacheCreation cacheCreation) {
        public WireUsage(Long inputTokens, Long outputTokens, Long cacheCreationInputTokens, Long cacheReadInputTokens) {
            this(inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens, null);
        }
    }

    /** The cache writes by lifetime; the snake_case strategy would not put the underscore before the digits. */
    public record CacheCreation(@JsonProperty("ephemeral_5m_input_tokens") Long ephemeral5mInputTokens,
                                @JsonProperty("ephemeral_1h_input_tokens") Long ephemeral1hInputTokens) {}

    public record ErrorResponse(String type, ErrorDetail error) {}

    public record ErrorDetail(String type, String message) {}
}

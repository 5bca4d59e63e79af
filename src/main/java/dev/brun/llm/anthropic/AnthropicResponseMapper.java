package dev.brun.llm.anthropic;

import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmException;
import dev.brun.llm.RateLimitSnapshot;
import dev.brun.llm.StopReason;
import dev.brun.llm.WireJson;
import dev.brun.llm.anthropic.AnthropicWire.ContentBlock;
import dev.brun.llm.anthropic.AnthropicWire.MessagesResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** A 2xx Messages body → GenerationResult: the forced tool's input, the text, stop reason and usage. */
public final class AnthropicResponseMapper {
    private final AnthropicUsageMapper usageMapper = new AnthropicUsageMapper();

    public MessagesResponse parse(String body, int status, String tag) {
        try {
            MessagesResponse response = WireJson.MAPPER.readValue(body, MessagesResponse.class);
            if (response == null || !"message".equals(response.type()) && response.content() == null) {
                throw invalid("the body is not a message", body, status, tag, null);
            }
            return response;
        } catch (JacksonException e) {
            throw invalid("the body is not valid JSON", body, status, tag, e);
        }
    }

    public GenerationResult toResult(MessagesResponse response, String requestId, long latencyMillis, RateLimitSnapshot rateLimit) {
        JsonNode toolInput = null;
        StringBuilder text = new StringBuilder();
        if (response.content() != null) {
            for (ContentBlock block : response.content()) {
                if ("tool_use".equals(block.type()) && toolInput == null) toolInput = block.input();
                if ("text".equals(block.type()) && block.text() != null) text.append(block.text());
            }
        }
        String id = requestId == null || requestId.isEmpty() ? response.id() : requestId;
        return new GenerationResult(toolInput, text.toString(), StopReason.fromAnthropic(response.stopReason()),
                usageMapper.toUsage(response.usage()), id, latencyMillis, 1, rateLimit);
    }

    private static LlmException invalid(String what, String body, int status, String tag, Throwable cause) {
        String snippet = body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "…" : body;
        return new LlmException(LlmException.Kind.INVALID_RESPONSE, status,
                "anthropic answered HTTP " + status + " but " + what + " (unit " + tag + "): " + snippet, snippet, null, null, 1, cause);
    }
}

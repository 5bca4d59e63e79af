package dev.brun.llm.openai;

import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmException;
import dev.brun.llm.RateLimitSnapshot;
import dev.brun.llm.StopReason;
import dev.brun.llm.Usage;
import dev.brun.llm.WireJson;
import dev.brun.llm.openai.OpenAiWire.ChatResponse;
import dev.brun.llm.openai.OpenAiWire.ChatUsage;
import dev.brun.llm.openai.OpenAiWire.Choice;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A 2xx chat completion → GenerationResult. The structured output is the message content parsed as JSON,
 * or else the first JSON object found in the text (models without json_schema support often wrap it in
 * prose or code fences).
 */
public final class OpenAiResponseMapper {

    public ChatResponse parse(String body, int status, String tag) {
        try {
            ChatResponse response = WireJson.MAPPER.readValue(body, ChatResponse.class);
            if (response == null || response.choices() == null) throw invalid("the body has no choices", body, status, tag, null);
            return response;
        } catch (JacksonException e) {
            throw invalid("the body is not valid JSON", body, status, tag, e);
        }
    }

    public GenerationResult toResult(ChatResponse response, boolean wantsJson, String requestId, long latencyMillis,
                                     RateLimitSnapshot rateLimit) {
        Choice choice = response.choices().isEmpty() ? null : response.choices().getFirst();
        String content = choice == null || choice.message() == null || choice.message().content() == null ? "" : choice.message().content();
        StopReason stop = choice == null ? StopReason.OTHER : StopReason.fromOpenAi(choice.finishReason());
        if (choice != null && choice.message() != null && choice.message().refusal() != null && !choice.message().refusal().isBlank()) {
            stop = StopReason.REFUSAL;
            if (content.isEmpty()) content = choice.message().refusal();
        }
        JsonNode structured = wantsJson ? jsonObjectIn(content) : null;
        String id = requestId == null || requestId.isEmpty() ? response.id() : requestId;
        return new GenerationResult(structured, content, stop, usage(response.usage()), id, latencyMillis, 1, rateLimit);
    }

    static Usage usage(ChatUsage wire) {
        if (wire == null) return Usage.ZERO;
        long prompt = wire.promptTokens() == null ? 0 : wire.promptTokens();
        long cached = wire.promptTokensDetails() == null || wire.promptTokensDetails().cachedTokens() == null
                ? 0 : wire.promptTokensDetails().cachedTokens();
        long completion = wire.completionTokens() == null ? 0 : wire.completionTokens();
        // prompt_tokens includes the cached ones; Usage keeps them apart because they are priced apart.
        return new Usage(Math.max(0, prompt - cached), completion, cached, 0);
    }

    /** The whole text as a JSON object, else the first balanced {...} in it that parses; null when none. */
    static JsonNode jsonObjectIn(String text) {
        String trimmed = text.strip();
        JsonNode whole = tryParse(trimmed);
        if (whole != null && whole.isObject()) return whole;
        for (int start = trimmed.indexOf('{'); start >= 0; start = trimmed.indexOf('{', start + 1)) {
            int end = matchingBrace(trimmed, start);
            if (end < 0) continue;
            JsonNode node = tryParse(trimmed.substring(start, end + 1));
            if (node != null && node.isObject()) return node;
        }
        return null;
    }

    private static int matchingBrace(String s, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static JsonNode tryParse(String s) {
        if (s.isEmpty()) return null;
        try {
            return WireJson.MAPPER.readTree(s);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static LlmException invalid(String what, String body, int status, String tag, Throwable cause) {
        String snippet = body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "…" : body;
        return new LlmException(LlmException.Kind.INVALID_RESPONSE, status,
                "openai-compatible server answered HTTP " + status + " but " + what + " (unit " + tag + "): " + snippet, snippet, null, null, 1, cause);
    }
}

package dev.brun.llm.openai;

import dev.brun.llm.LlmException;
import dev.brun.llm.ProviderHttp;
import dev.brun.llm.RateLimitSnapshot;
import dev.brun.llm.WireJson;
import dev.brun.llm.openai.OpenAiWire.ErrorResponse;

import java.util.Locale;

/** A non-2xx chat completion reply → LlmException, the key redacted. */
public final class OpenAiErrorMapper {

    public LlmException toException(ProviderHttp.Reply reply, String apiKey, RateLimitSnapshot rateLimit, String tag) {
        String providerMessage = ProviderHttp.redact(providerMessage(reply.body()), apiKey);
        LlmException.Kind kind = LlmException.Kind.ofStatus(reply.status());
        String message = switch (kind) {
            case AUTH -> "the openai-compatible server rejected the API key (HTTP " + reply.status() + ": " + providerMessage
                    + "); check OPENAI_API_KEY";
            case BAD_REQUEST -> "the openai-compatible server refused the request for unit " + tag + " (HTTP " + reply.status() + ": " + providerMessage + ")";
            default -> "the openai-compatible server answered HTTP " + reply.status() + " for unit " + tag + ": " + providerMessage;
        };
        return new LlmException(kind, reply.status(), message, providerMessage,
                ProviderHttp.retryAfter(reply.headers(), reply.receivedAt()), rateLimit, 1, null);
    }

    /** Whether a 400 says the server does not support response_format / json_schema. */
    public boolean rejectsResponseFormat(ProviderHttp.Reply reply) {
        if (reply.status() != 400 && reply.status() != 422) return false;
        String body = reply.body() == null ? "" : reply.body().toLowerCase(Locale.ROOT);
        return body.contains("response_format") || body.contains("json_schema");
    }

    /** Whether a 400 asks for max_completion_tokens instead of max_tokens (newer OpenAI models). */
    public boolean wantsMaxCompletionTokens(ProviderHttp.Reply reply) {
        return reply.status() == 400 && reply.body() != null && reply.body().contains("max_completion_tokens");
    }

    static String providerMessage(String body) {
        if (body == null || body.isBlank()) return "(empty body)";
        try {
            ErrorResponse error = WireJson.MAPPER.readValue(body, ErrorResponse.class);
            if (error != null && error.error() != null && error.error().message() != null) {
                String type = error.error().type() == null ? "error" : error.error().type();
                return type + ": " + error.error().message();
            }
        } catch (RuntimeException notJson) {
            // not the usual error envelope; show the raw text
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}

package dev.brun.llm.anthropic;

import dev.brun.llm.LlmException;
import dev.brun.llm.ProviderHttp;
import dev.brun.llm.RateLimitSnapshot;
import dev.brun.llm.WireJson;
import dev.brun.llm.anthropic.AnthropicWire.ErrorResponse;

import java.time.Duration;

/** A non-2xx reply → LlmException with the provider's error type and message, the key redacted. */
public final class AnthropicErrorMapper {
    public LlmException toException(ProviderHttp.Reply reply, String apiKey, RateLimitSnapshot rateLimit, String tag) {
        String providerMessage = providerMessage(reply.body());
        providerMessage = ProviderHttp.redact(providerMessage, apiKey);
        LlmException.Kind kind = LlmException.Kind.ofStatus(reply.status());
        Duration retryAfter = ProviderHttp.retryAfter(reply.headers(), reply.receivedAt());
        String message = switch (kind) {
            case AUTH -> "anthropic rejected the API key (HTTP " + reply.status() + ": " + providerMessage
                    + "); check ANTHROPIC_API_KEY or the key file named in brun.yaml";
            case BAD_REQUEST -> "anthropic refused the request for unit " + tag + " (HTTP " + reply.status() + ": " + providerMessage + ")";
            default -> "anthropic answered HTTP " + reply.status() + " for unit " + tag + ": " + providerMessage;
        };
        return new LlmException(kind, reply.status(), message, providerMessage, retryAfter, rateLimit, 1, null);
    }

    static String providerMessage(String body) {
        if (body == null || body.isBlank()) return "(empty body)";
        try {
            ErrorResponse error = WireJson.MAPPER.readValue(body, ErrorResponse.class);
            if (error != null && error.error() != null) {
                String type = error.error().type() == null ? "error" : error.error().type();
                return type + ": " + (error.error().message() == null ? "" : error.error().message());
            }
        } catch (RuntimeException notJson) {
            // a proxy or load balancer answered; show its text instead
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}

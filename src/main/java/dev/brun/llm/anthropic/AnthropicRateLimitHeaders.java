package dev.brun.llm.anthropic;

import dev.brun.llm.RateLimitSnapshot;
import dev.brun.llm.RateLimitSnapshot.Window;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/** {@code anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}} → snapshot. */
public final class AnthropicRateLimitHeaders {
    public RateLimitSnapshot parse(HttpHeaders headers, Instant receivedAt) {
        return new RateLimitSnapshot(window(headers, "requests"), window(headers, "tokens"),
                window(headers, "input-tokens"), window(headers, "output-tokens"), receivedAt);
    }

    private static Window window(HttpHeaders headers, String name) {
        String prefix = "anthropic-ratelimit-" + name + "-";
        OptionalLong limit = number(headers, prefix + "limit");
        OptionalLong remaining = number(headers, prefix + "remaining");
        if (remaining.isEmpty()) return null;
        Instant reset = headers.firstValue(prefix + "reset").map(AnthropicRateLimitHeaders::instant).orElse(null);
        return new Window(limit.orElse(remaining.getAsLong()), remaining.getAsLong(), reset);
    }

    private static OptionalLong number(HttpHeaders headers, String name) {
        try {
            return headers.firstValue(name).map(v -> OptionalLong.of(Long.parseLong(v.trim()))).orElse(OptionalLong.empty());
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static Instant instant(String rfc3339) {
        try {
            return OffsetDateTime.parse(rfc3339.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

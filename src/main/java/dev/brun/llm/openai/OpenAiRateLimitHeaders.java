package dev.brun.llm.openai;

import dev.brun.llm.RateLimitSnapshot;
import dev.brun.llm.RateLimitSnapshot.Window;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} → snapshot. Resets are relative durations
 * such as {@code 1s}, {@code 6m0s} or {@code 250ms}, counted from when the reply arrived.
 */
public final class OpenAiRateLimitHeaders {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    public RateLimitSnapshot parse(HttpHeaders headers, Instant receivedAt) {
        return new RateLimitSnapshot(window(headers, "requests", receivedAt), window(headers, "tokens", receivedAt),
                null, null, receivedAt);
    }

    private static Window window(HttpHeaders headers, String name, Instant receivedAt) {
        Long remaining = number(headers, "x-ratelimit-remaining-" + name);
        if (remaining == null) return null;
        Long limit = number(headers, "x-ratelimit-limit-" + name);
        Instant reset = headers.firstValue("x-ratelimit-reset-" + name).map(v -> receivedAt.plus(duration(v))).orElse(null);
        return new Window(limit == null ? remaining : limit, remaining, reset);
    }

    private static Long number(HttpHeaders headers, String name) {
        try {
            return headers.firstValue(name).map(v -> Long.parseLong(v.trim())).orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Duration duration(String value) {
        String v = value.trim();
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException notPlainSeconds) {
            double millis = 0;
            Matcher m = PART.matcher(v);
            while (m.find()) {
                double n = Double.parseDouble(m.group(1));
                millis += switch (m.group(2)) {
                    case "h" -> n * 3_600_000;
                    case "m" -> n * 60_000;
                    case "s" -> n * 1000;
                    default -> n;
                };
            }
            return Duration.ofMillis(Math.round(millis));
        }
    }
}

package dev.brun.llm.sim;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reply the fake server will give: status, headers, body, and how it is delivered.
 *
 * @param delay      wait before the status line (a slow server; trips read timeouts)
 * @param delivery   WHOLE, SLOW (body in chunks with {@code chunkPause} between) or TRUNCATED (headers
 *                   promise the whole body, half is sent, then the connection is closed)
 */
public record ScriptedResponse(int status, Map<String, String> headers, String body, Duration delay,
                               Delivery delivery, Duration chunkPause) {

    public enum Delivery { WHOLE, SLOW, TRUNCATED }

    public ScriptedResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? "" : body;
        delay = delay == null ? Duration.ZERO : delay;
        delivery = delivery == null ? Delivery.WHOLE : delivery;
        chunkPause = chunkPause == null ? Duration.ZERO : chunkPause;
    }

    public static ScriptedResponse json(int status, String body) {
        return new ScriptedResponse(status, Map.of("content-type", "application/json"), body, null, null, null);
    }

    /** An Anthropic-style error body: {@code {"type":"error","error":{"type":..,"message":..}}}. */
    public static ScriptedResponse anthropicError(int status, String errorType, String message) {
        return json(status, "{\"type\":\"error\",\"error\":{\"type\":" + quote(errorType) + ",\"message\":" + quote(message) + "}}");
    }

    /** An OpenAI-style error body: {@code {"error":{"message":..,"type":..}}}. */
    public static ScriptedResponse openAiError(int status, String errorType, String message) {
        return json(status, "{\"error\":{\"message\":" + quote(message) + ",\"type\":" + quote(errorType) + "}}");
    }

    public ScriptedResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ScriptedResponse(status, copy, body, delay, delivery, chunkPause);
    }

    public ScriptedResponse withHeaders(Map<String, String> more) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.putAll(more);
        return new ScriptedResponse(status, copy, body, delay, delivery, chunkPause);
    }

    public ScriptedResponse withDelay(Duration before) {
        return new ScriptedResponse(status, headers, body, before, delivery, chunkPause);
    }

    public ScriptedResponse slowBody(Duration pauseBetweenChunks) {
        return new ScriptedResponse(status, headers, body, delay, Delivery.SLOW, pauseBetweenChunks);
    }

    public ScriptedResponse truncated() {
        return new ScriptedResponse(status, headers, body, delay, Delivery.TRUNCATED, chunkPause);
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}

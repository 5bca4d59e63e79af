package dev.brun.llm.sim;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request the fake server received, kept so tests can assert on the exact wire JSON and headers. */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The body parsed as JSON (a missing node when the body is empty or not JSON). */
    public JsonNode json() {
        try {
            return body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
        } catch (RuntimeException notJson) {
            return JSON.missingNode();
        }
    }

    /** The first value of a header, case-insensitively; null when absent. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)) && !e.getValue().isEmpty()) {
                return e.getValue().getFirst();
            }
        }
        return null;
    }
}

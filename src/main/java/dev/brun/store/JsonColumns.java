package dev.brun.store;

import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The JSON held in TEXT columns (skills, score reasons). */
final class JsonColumns {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private JsonColumns() {}

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static List<String> stringList(String json) {
        if (json == null || json.isBlank()) return List.of();
        return MAPPER.readValue(json, new TypeReference<List<String>>() {});
    }

    static Map<String, List<String>> reasons(String json) {
        if (json == null || json.isBlank()) return Map.of();
        return MAPPER.readValue(json, new TypeReference<Map<String, List<String>>>() {});
    }
}

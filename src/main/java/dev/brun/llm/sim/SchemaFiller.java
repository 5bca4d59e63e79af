package dev.brun.llm.sim;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Answers a tool the simulator does not know (an LLM judge, say) with a value that fits the tool's JSON
 * schema: every property present, enums take their first value, numbers sit in the middle of their range.
 * Enough for the calling code's own validation to pass, never meant to look like real content.
 */
final class SchemaFiller {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DEPTH = 8;

    JsonNode fill(JsonNode schema) { return value(schema, "value", 0); }

    private JsonNode value(JsonNode schema, String name, int depth) {
        if (schema.has("const")) return schema.get("const");
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) return schema.path("enum").get(0);
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asString("string") : schema.path("type").asString(
                schema.has("properties") ? "object" : schema.has("items") ? "array" : "string");
        if (depth > MAX_DEPTH) return JSON.nullNode();
        return switch (type) {
            case "object" -> {
                ObjectNode object = JSON.createObjectNode();
                for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
                    object.set(p.getKey(), value(p.getValue(), p.getKey(), depth + 1));
                }
                yield object;
            }
            case "array" -> {
                ArrayNode array = JSON.createArrayNode();
                int n = Math.max(1, schema.path("minItems").asInt(1));
                for (int i = 0; i < n; i++) array.add(value(schema.path("items"), name, depth + 1));
                yield array;
            }
            case "integer" -> JSON.getNodeFactory().numberNode(Math.round(middle(schema, 3)));
            case "number" -> JSON.getNodeFactory().numberNode(middle(schema, 0.5));
            case "boolean" -> JSON.getNodeFactory().booleanNode(true);
            case "null" -> JSON.nullNode();
            default -> JSON.getNodeFactory().stringNode("simulated " + name.replace('_', ' ') + ".");
        };
    }

    private static double middle(JsonNode schema, double fallback) {
        boolean hasMin = schema.has("minimum");
        boolean hasMax = schema.has("maximum");
        if (hasMin && hasMax) return (schema.path("minimum").asDouble() + schema.path("maximum").asDouble()) / 2;
        if (hasMin) return schema.path("minimum").asDouble() + fallback;
        if (hasMax) return Math.min(fallback, schema.path("maximum").asDouble());
        return fallback;
    }
}

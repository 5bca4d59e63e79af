package dev.brun.llm.sim;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The facts of one unit of work, as the prompt's per-unit system block carries them for the simulated
 * provider: a JSON object between {@code <unit_facts>} and {@code </unit_facts>}. The simulator reads
 * nothing else, so the same prompt drives a real model and the simulator.
 *
 * <pre>{@code
 * <unit_facts>{"unit_key":"...","variation_index":0,"variation_hint":"...",
 *  "consultant":{"name":"Elena Morales"},
 *  "persona":{"key":"...","name":"...","age":42,"gender":"...","family":"...","occupation":"...",
 *             "location":"...","income_min":60000,"income_max":90000,"typical_phrases":["..."]},
 *  "arc":{"key":"...","name":"...","start_emotion":"anxious","start_intensity":0.8,"start_family":["..."],
 *         "end_emotion":"hopeful","end_intensity":0.6,"end_family":["..."],
 *         "stages":["stage_key", ...],"min_exchanges":3,"max_exchanges":5},
 *  "topic":{"key":"...","name":"...","description":"...","key_terms":["..."]}}</unit_facts>
 * }</pre>
 *
 * An exchange is one user turn plus one assistant reply.
 */
public record UnitFacts(String unitKey, int variationIndex, String variationHint, Consultant consultant,
                        Persona persona, Arc arc, Topic topic) {
    public static final String OPEN_TAG = "<unit_facts>";
    public static final String CLOSE_TAG = "</unit_facts>";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Consultant(String name) {}

    public record Persona(String key, String name, int age, String gender, String family, String occupation,
                          String location, long incomeMin, long incomeMax, List<String> typicalPhrases) {
        public Persona {
            typicalPhrases = typicalPhrases == null ? List.of() : List.copyOf(typicalPhrases);
        }
    }

    public record Arc(String key, String name, String startEmotion, double startIntensity, List<String> startFamily,
                      String endEmotion, double endIntensity, List<String> endFamily, List<String> stages,
                      int minExchanges, int maxExchanges) {
        public Arc {
            startFamily = startFamily == null ? List.of() : List.copyOf(startFamily);
            endFamily = endFamily == null ? List.of() : List.copyOf(endFamily);
            stages = stages == null ? List.of() : List.copyOf(stages);
        }
    }

    public record Topic(String key, String name, String description, List<String> keyTerms) {
        public Topic {
            keyTerms = keyTerms == null ? List.of() : List.copyOf(keyTerms);
        }
    }

    /** The facts found in a text between the tags, if any. */
    public static Optional<UnitFacts> findIn(String text) {
        if (text == null) return Optional.empty();
        int open = text.indexOf(OPEN_TAG);
        if (open < 0) return Optional.empty();
        int close = text.indexOf(CLOSE_TAG, open);
        if (close < 0) throw new IllegalArgumentException(OPEN_TAG + " has no " + CLOSE_TAG);
        return Optional.of(parse(text.substring(open + OPEN_TAG.length(), close)));
    }

    /** Parses the JSON object; a missing or malformed field is named in the exception. */
    public static UnitFacts parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unit_facts is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode p = object(root, "persona");
        JsonNode a = object(root, "arc");
        JsonNode t = object(root, "topic");
        Arc arc = new Arc(text(a, "arc.key", "key"), text(a, "arc.name", "name"),
                text(a, "arc.start_emotion", "start_emotion"), a.path("start_intensity").asDouble(0.7), strings(a.path("start_family")),
                text(a, "arc.end_emotion", "end_emotion"), a.path("end_intensity").asDouble(0.6), strings(a.path("end_family")),
                strings(a.path("stages")), a.path("min_exchanges").asInt(3), a.path("max_exchanges").asInt(5));
        if (arc.stages().isEmpty()) throw new IllegalArgumentException("unit_facts: arc.stages must list at least one stage key");
        if (arc.minExchanges() < 1 || arc.maxExchanges() < arc.minExchanges()) {
            throw new IllegalArgumentException("unit_facts: arc needs 1 <= min_exchanges <= max_exchanges, got "
                    + arc.minExchanges() + ".." + arc.maxExchanges());
        }
        long incomeMin = p.path("income_min").asLong(0);
        long incomeMax = p.path("income_max").asLong(0);
        if (incomeMin < 0 || incomeMax <= 0 || incomeMax < incomeMin) {
            throw new IllegalArgumentException("unit_facts: persona needs 0 <= income_min <= income_max and income_max > 0, got "
                    + incomeMin + ".." + incomeMax + " (the simulated user states an income in this range)");
        }
        return new UnitFacts(text(root, "unit_key", "unit_key"), root.path("variation_index").asInt(0),
                root.path("variation_hint").asString(""),
                new Consultant(root.path("consultant").path("name").asString("your consultant")),
                new Persona(text(p, "persona.key", "key"), text(p, "persona.name", "name"), p.path("age").asInt(0),
                        p.path("gender").asString(""), p.path("family").asString(""), p.path("occupation").asString(""),
                        p.path("location").asString(""), incomeMin, incomeMax,
                        strings(p.path("typical_phrases"))),
                arc,
                new Topic(text(t, "topic.key", "key"), text(t, "topic.name", "name"), t.path("description").asString(""),
                        strings(t.path("key_terms"))));
    }

    /** This object as the JSON the tags enclose. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("unit_key", unitKey);
        root.put("variation_index", variationIndex);
        root.put("variation_hint", variationHint);
        root.putObject("consultant").put("name", consultant.name());
        ObjectNode p = root.putObject("persona");
        p.put("key", persona.key()).put("name", persona.name()).put("age", persona.age()).put("gender", persona.gender())
                .put("family", persona.family()).put("occupation", persona.occupation()).put("location", persona.location())
                .put("income_min", persona.incomeMin()).put("income_max", persona.incomeMax());
        addAll(p.putArray("typical_phrases"), persona.typicalPhrases());
        ObjectNode a = root.putObject("arc");
        a.put("key", arc.key()).put("name", arc.name()).put("start_emotion", arc.startEmotion()).put("start_intensity", arc.startIntensity());
        addAll(a.putArray("start_family"), arc.startFamily());
        a.put("end_emotion", arc.endEmotion()).put("end_intensity", arc.endIntensity());
        addAll(a.putArray("end_family"), arc.endFamily());
        addAll(a.putArray("stages"), arc.stages());
        a.put("min_exchanges", arc.minExchanges()).put("max_exchanges", arc.maxExchanges());
        ObjectNode t = root.putObject("topic");
        t.put("key", topic.key()).put("name", topic.name()).put("description", topic.description());
        addAll(t.putArray("key_terms"), topic.keyTerms());
        return root;
    }

    /** {@code <unit_facts>{...}</unit_facts>}, ready to append to the per-unit system block. */
    public String toTaggedBlock() {
        return OPEN_TAG + toJson() + CLOSE_TAG;
    }

    private static JsonNode object(JsonNode root, String name) {
        JsonNode node = root.path(name);
        if (!node.isObject()) throw new IllegalArgumentException("unit_facts: '" + name + "' must be an object");
        return node;
    }

    private static String text(JsonNode node, String where, String field) {
        JsonNode value = node.path(field);
        if (!value.isString() || value.asString().isBlank()) throw new IllegalArgumentException("unit_facts: '" + where + "' must be a non-empty string");
        return value.asString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) for (JsonNode n : array) if (n.isString() && !n.asString().isBlank()) out.add(n.asString());
        return out;
    }

    private static void addAll(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}

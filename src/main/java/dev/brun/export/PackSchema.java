package dev.brun.export;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.brun.pack.Arc;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;
import dev.brun.pack.Topic;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The brightrun-lora-v4 JSON Schema (shipped as a resource, unchanged from the published spec) with its
 * financial-planning enums replaced by a pack's own persona, arc, topic and stage keys and its vertical.
 */
public final class PackSchema {
    static final String RESOURCE = "/export/brightrun-lora-v4.schema.json";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private PackSchema() {}

    /** The published schema as is (its enums describe the original financial-planning data). */
    public static ObjectNode reference() {
        try (InputStream in = PackSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys recorded by exported conversations; the schema admits them beside the pack's own. */
    public record RecordedKeys(List<String> personas, List<String> arcs, List<String> topics, List<String> stages) {
        public static final RecordedKeys NONE = new RecordedKeys(List.of(), List.of(), List.of(), List.of());
    }

    public static ObjectNode forPack(Pack pack) { return forPack(pack, RecordedKeys.NONE); }

    /**
     * The schema for files holding conversations of this pack and, beside them, conversations that record keys the
     * pack does not define (imported from another platform): those keys are in the enums too, so each file passes
     * the schema written next to it.
     */
    public static ObjectNode forPack(Pack pack, RecordedKeys recorded) {
        ObjectNode schema = reference();
        schema.put("$id", "https://brun.dev/schemas/" + pack.name() + "/brightrun-lora-v4-" + pack.shortHash() + ".json");
        schema.put("title", "brightrun-lora-v4 training file for pack " + pack.name());
        List<String> personas = union(pack.personas().stream().map(Persona::key).toList(), recorded.personas());
        List<String> arcs = union(pack.arcs().stream().map(Arc::key).toList(), recorded.arcs());
        List<String> topics = union(pack.topics().stream().map(Topic::key).toList(), recorded.topics());
        List<String> stages = union(pack.allStageKeys(), recorded.stages());

        ((ObjectNode) schema.at("/properties/training_file_metadata/properties/vertical")).put("const", V4Document.vertical(pack));
        ObjectNode scaffolding = (ObjectNode) schema.at("/$defs/conversation_object/properties/conversation_metadata/properties/scaffolding/properties");
        setEnum(scaffolding, "persona_key", personas);
        setEnum(scaffolding, "emotional_arc_key", arcs);
        setEnum(scaffolding, "training_topic_key", topics);
        ObjectNode pairMeta = (ObjectNode) schema.at("/$defs/pair_conversation_metadata/properties");
        setEnum(pairMeta, "persona_archetype", union(pack.personas().stream().map(V4Document::archetype).toList(), recorded.personas()));
        setEnum(pairMeta, "emotional_arc_key", arcs);
        setEnum(pairMeta, "training_topic_key", topics);
        setEnum(pairMeta, "conversation_phase", stages);
        onlyUserTurnsCarryEmotion(schema);
        return schema;
    }

    /**
     * The published schema wants an emotional state on every history turn. brun records the client's emotion on
     * user turns only, and writes none on a consultant turn rather than a copied or made-up one.
     */
    static void onlyUserTurnsCarryEmotion(ObjectNode schema) {
        ObjectNode turn = (ObjectNode) schema.at("/$defs/history_turn");
        ArrayNode required = turn.putArray("required");
        required.add("turn").add("role").add("content");
        ObjectNode condition = turn.putObject("if");
        condition.putObject("properties").putObject("role").put("const", "user");
        condition.putArray("required").add("role");
        turn.putObject("then").putArray("required").add("emotional_state");
    }

    private static List<String> union(List<String> own, List<String> recorded) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(own);
        all.addAll(recorded);
        return List.copyOf(all);
    }

    private static void setEnum(ObjectNode properties, String name, List<String> values) {
        ObjectNode property = (ObjectNode) properties.get(name);
        property.remove("examples");
        ArrayNode e = property.putArray("enum");
        values.forEach(e::add);
    }

    /** The schema for one training pair on its own (a v4 JSONL line), sharing the file schema's definitions. */
    public static ObjectNode pairSchema(ObjectNode fileSchema) { return subSchema(fileSchema, "/$defs/training_pair", "pair"); }

    /** A part of the file schema (pointer like /$defs/conversation_object) as a schema of its own. */
    static ObjectNode subSchema(ObjectNode fileSchema, String pointer, String name) {
        ObjectNode s = fileSchema.deepCopy();
        s.remove(List.of("type", "required", "additionalProperties", "properties"));
        s.put("$id", fileSchema.path("$id").asString("https://brun.dev/schemas/brightrun-lora-v4.json").replace(".json", "-" + name + ".json"));
        // The part is copied into $defs: removing the root's properties would break a pointer into them.
        String def = "part_" + name;
        ((ObjectNode) s.get("$defs")).set(def, fileSchema.at(pointer).deepCopy());
        s.put("$ref", "#/$defs/" + def);
        return s;
    }

    public static Schema compile(JsonNode schema) {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
    }

    /** Validation errors of a document against a schema, one line each (the message names the JSON path). */
    public static List<String> violations(Schema schema, JsonNode document) {
        List<Error> errors = schema.validate(document);
        return errors.stream().map(Error::toString).toList();
    }

    public static List<String> violations(JsonNode schema, JsonNode document) {
        return violations(compile(schema), document);
    }
}

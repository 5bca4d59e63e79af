package dev.brun.export;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.brun.pack.PackLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * brun's v4 export against the original platform's own JSON Schema (../shared/reference/formats/), with its persona
 * enums, valence enum and uuid/date formats asserted. Only the arc and stage enums, which list the original's four
 * arcs, are widened to the pack's (the schema written beside the file), because the built-in pack has other arcs;
 * and a consultant turn in a history needs no emotional state (the original schema wants one on every turn, which
 * brun would have to invent: it records the client's emotion only).
 */
class OriginalSchemaTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ORIGINAL = "formats/c-alpha-build_v3.4_emotional-dataset-full-JSON-format_v4.json";

    @TempDir Path out;

    @Test
    void theV4ExportOfTheBuiltInPackPassesTheOriginalSchema() {
        var pack = PackLoader.loadBuiltin("financial-planning");
        var generatedOn = java.time.Instant.parse("2026-03-04T10:00:00Z");
        var items = TestItems.grid(2).stream().map(i -> new ExportItem(i.conversation(), i.generation(), i.scores(), i.flags(), i.review(),
                generatedOn, null)).toList();
        new Exporter(pack, ExportSettings.defaults(out, TestPacks.SYSTEM_PROMPT, "test").withFormats(ExportFormat.parse("v4-json"))
                .withTargetModel("meta-llama/Llama-3.1-8B-Instruct", null), java.time.Clock.fixed(java.time.Instant.parse("2026-05-06T00:00:00Z"),
                java.time.ZoneOffset.UTC)).export(items);
        JsonNode doc = JSON.readTree(out.resolve(Exporter.V4_JSON).toFile());
        ObjectNode original = (ObjectNode) JSON.readTree(TestPacks.REFERENCE.resolve(ORIGINAL).toFile());
        JsonNode brun = JSON.readTree(out.resolve(Exporter.SCHEMA).toFile());
        for (String pointer : List.of("/$defs/conversation_object/properties/conversation_metadata/properties/scaffolding/properties/emotional_arc_key",
                "/$defs/pair_conversation_metadata/properties/emotional_arc_key",
                "/$defs/pair_conversation_metadata/properties/conversation_phase"))
            ((ObjectNode) original.at(pointer)).set("enum", brun.at(pointer + "/enum").deepCopy());
        PackSchema.onlyUserTurnsCarryEmotion(original);

        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())).getSchema(original);
        assertThat(PackSchema.violations(schema, doc)).isEmpty();

        // The checks are live: the values brun used to write fail the same schema.
        ObjectNode broken = (ObjectNode) doc.deepCopy();
        JsonNode first = broken.get("conversations").get(0);
        ((ObjectNode) first.get("conversation_metadata")).put("conversation_id", "conv-seed-1-v0");
        ((ObjectNode) first.at("/training_pairs/0/conversation_metadata")).put("persona_archetype", "jennifer_martinez");
        ((ObjectNode) first.at("/training_pairs/0/emotional_context/detected_emotions")).put("valence", "very_positive");
        assertThat(PackSchema.violations(schema, broken)).hasSize(3);

        // Fields mean what the format says: the generation date, the target model, no emotion the consultant never had.
        assertThat(doc.at("/conversations/0/conversation_metadata/created_date").asString()).isEqualTo("2026-03-04");
        assertThat(doc.at("/training_file_metadata/target_model").asString()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
        JsonNode history = doc.at("/conversations/0/training_pairs/1/conversation_history");
        assertThat(history.get(0).has("emotional_state")).isTrue();
        assertThat(history.get(1).get("role").asString()).isEqualTo("assistant");
        assertThat(history.get(1).has("emotional_state")).isFalse();
        ObjectNode userWithout = (ObjectNode) doc.deepCopy();
        ((ObjectNode) userWithout.at("/conversations/0/training_pairs/1/conversation_history/0")).remove("emotional_state");
        assertThat(PackSchema.violations(schema, userWithout)).hasSize(1);

        JsonNode pair = doc.at("/conversations/0/training_pairs/0");
        assertThat(pair.at("/training_metadata/quality_score").asDouble() * 100 % 1).isZero();
        assertThat(pair.at("/conversation_metadata/client_background").asString()).doesNotMatch(".*\\. [a-z_]+$");
        assertThat(pair.get("conversation_id").asString()).isEqualTo(doc.at("/conversations/0/conversation_metadata/conversation_id").asString())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}

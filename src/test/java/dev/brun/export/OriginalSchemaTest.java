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
 * arcs, are widened to the pack's (the schema written beside the file), because the built-in pack has other arcs.
 */
class OriginalSchemaTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ORIGINAL = "formats/c-alpha-build_v3.4_emotional-dataset-full-JSON-format_v4.json";

    @TempDir Path out;

    @Test
    void theV4ExportOfTheBuiltInPackPassesTheOriginalSchema() {
        var pack = PackLoader.loadBuiltin("financial-planning");
        new Exporter(pack, ExportSettings.defaults(out, TestPacks.SYSTEM_PROMPT, "test").withFormats(ExportFormat.parse("v4-json")))
                .export(TestItems.grid(2));
        JsonNode doc = JSON.readTree(out.resolve(Exporter.V4_JSON).toFile());
        ObjectNode original = (ObjectNode) JSON.readTree(TestPacks.REFERENCE.resolve(ORIGINAL).toFile());
        JsonNode brun = JSON.readTree(out.resolve(Exporter.SCHEMA).toFile());
        for (String pointer : List.of("/$defs/conversation_object/properties/conversation_metadata/properties/scaffolding/properties/emotional_arc_key",
                "/$defs/pair_conversation_metadata/properties/emotional_arc_key",
                "/$defs/pair_conversation_metadata/properties/conversation_phase"))
            ((ObjectNode) original.at(pointer)).set("enum", brun.at(pointer + "/enum").deepCopy());

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

        JsonNode pair = doc.at("/conversations/0/training_pairs/0");
        assertThat(pair.at("/training_metadata/quality_score").asDouble() * 100 % 1).isZero();
        assertThat(pair.at("/conversation_metadata/client_background").asString()).doesNotMatch(".*\\. [a-z_]+$");
        assertThat(pair.get("conversation_id").asString()).isEqualTo(doc.at("/conversations/0/conversation_metadata/conversation_id").asString())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}

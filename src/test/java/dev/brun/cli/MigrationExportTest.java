package dev.brun.cli;

import dev.brun.project.PackCopier;
import dev.brun.project.ProjectConfig;
import dev.brun.project.ProjectConfigWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A user migrating from the original platform: everything they bring comes out again in every format. */
class MigrationExportTest {
    @TempDir Path tmp;

    @Test
    void everyImportedConversationIsWrittenInEveryFormatWithTheDefaultPack() throws IOException {
        Path project = tmp.resolve("p");
        var pack = PackCopier.copy("financial-planning", project.resolve("pack"));
        ProjectConfigWriter.write(project, ProjectConfig.defaults(pack));

        // The folder the platform exported into, as a migrating user points at it, and every seed file.
        List<String> args = new ArrayList<>(List.of("import", TestProject.SAMPLE_18.getParent().toString()));
        TestProject.seedFiles().forEach(f -> args.add(f.toString()));
        CliRun imported = TestProject.run(project, args.toArray(String[]::new));
        assertThat(imported.exitCode()).as(imported.err() + imported.out()).isZero();
        assertThat(imported.out()).contains("24 conversations imported");

        Path out = tmp.resolve("out");
        CliRun exported = TestProject.run(project, "export", "--format", "all", "--only", "all", "--out", out.toString());
        assertThat(exported.exitCode()).as(exported.err() + exported.out()).isZero();

        JsonNode v4 = TestProject.json(Files.readString(out.resolve("training-v4.json"), StandardCharsets.UTF_8));
        assertThat(v4.get("conversations").size()).isEqualTo(24);
        // The schema written beside the file admits the arcs and stages the imported conversations record.
        JsonNode schema = TestProject.json(Files.readString(out.resolve("schema.json"), StandardCharsets.UTF_8));
        assertThat(dev.brun.export.PackSchema.violations(schema, v4)).isEmpty();
        assertThat(lines(out.resolve("training-v4.jsonl"))).isEqualTo(1 + v4.get("training_file_metadata").get("total_training_pairs").asInt());
        assertThat(lines(out.resolve("openai-train.jsonl")) + lines(out.resolve("openai-validation.jsonl"))).isEqualTo(24);
        assertThat(lines(out.resolve("sharegpt-train.jsonl")) + lines(out.resolve("sharegpt-validation.jsonl"))).isEqualTo(24);
        assertThat(lines(out.resolve("hf/train.jsonl")) + lines(out.resolve("hf/validation.jsonl"))).isEqualTo(24);
        // Every imported conversation by id, in every format (not only the right count).
        java.util.Set<String> ids = new java.util.TreeSet<>();
        v4.get("conversations").forEach(c -> ids.add(c.at("/conversation_metadata/brun_conversation_id").asString()));
        assertThat(ids).hasSize(24);
        java.util.Set<String> jsonlIds = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(out.resolve("training-v4.jsonl")))
            if (!line.contains("\"_meta\"")) jsonlIds.add(TestProject.json(line).get("brun_conversation_id").asString());
        assertThat(jsonlIds).isEqualTo(ids);
        assertThat(Files.readString(out.resolve("train/axolotl.yaml"))).contains("path: hf/train.jsonl");

        // The consultant's emotional states the platform recorded are kept as recorded, not dropped or made up.
        java.util.Map<String, String> recorded = assistantStates(TestProject.json(Files.readString(TestProject.SAMPLE_18)));
        assertThat(recorded).isNotEmpty();
        java.util.Map<String, String> written = assistantStates(v4);
        assertThat(written).containsAllEntriesOf(recorded);
    }

    /** Consultant reply text -> the primary emotion a file records for it (in later histories or as the target's). */
    private static java.util.Map<String, String> assistantStates(JsonNode file) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (JsonNode c : file.get("conversations"))
            for (JsonNode p : c.get("training_pairs")) {
                for (JsonNode h : p.get("conversation_history"))
                    if ("assistant".equals(h.path("role").asString()) && h.has("emotional_state") && h.get("emotional_state").has("primary"))
                        out.put(h.get("content").asString(), h.at("/emotional_state/primary").asString());
                if (p.has("brun_target_emotional_state"))
                    out.put(p.get("target_response").asString(), p.at("/brun_target_emotional_state/primary").asString());
            }
        return out;
    }

    @Test
    void nonStandardValuesAndATruncatedReplyImportAreReportedAndTheCutReplyIsFlaggedBeforeAnyCheck() throws IOException {
        Path project = tmp.resolve("p");
        var pack = PackCopier.copy("financial-planning", project.resolve("pack"));
        ProjectConfigWriter.write(project, ProjectConfig.defaults(pack));
        // A hand-written seed whose valences are the platform's own words, not the schema's enum.
        String seed = Files.readString(TestProject.seedFiles().getFirst(), StandardCharsets.UTF_8)
                .replace("\"mixed_negative_but_improving\"", "\"concerned_but_rational\"")
                .replace("\"mixed_positive\"", "\"very_positive\"");
        Path seedFile = Files.writeString(tmp.resolve("seed-odd-valence.json"), seed, StandardCharsets.UTF_8);
        // A v4 file whose one conversation has a reply cut off mid-sentence.
        var root = (tools.jackson.databind.node.ObjectNode) TestProject.json(Files.readString(TestProject.SAMPLE_18, StandardCharsets.UTF_8));
        var conversations = (tools.jackson.databind.node.ArrayNode) root.get("conversations");
        while (conversations.size() > 1) conversations.remove(conversations.size() - 1);
        for (JsonNode pair : conversations.get(0).get("training_pairs")) {
            if (pair.get("target_response").isNull()) continue;
            ((tools.jackson.databind.node.ObjectNode) pair).put("target_response",
                    "Let's start with the emergency fund, because that is the piece that");
            break;
        }
        Path v4File = Files.writeString(tmp.resolve("cut.json"), root.toString(), StandardCharsets.UTF_8);

        CliRun imported = TestProject.run(project, "import", "--json", seedFile.toString(), v4File.toString());
        assertThat(imported.exitCode()).as(imported.err() + imported.out()).isZero();
        JsonNode doc = TestProject.json(imported.out());
        assertThat(doc.get("imported").asInt()).isEqualTo(2);
        JsonNode seedReport = doc.get("files").get(0);
        assertThat(seedReport.at("/defects/nonstandard_value/count").asInt()).isPositive();
        assertThat(seedReport.at("/defects/nonstandard_value/examples").toString())
                .contains("concerned_but_rational' read as mixed").contains("very_positive' read as positive");
        assertThat(doc.get("files").get(1).at("/defects/truncated_reply/count").asInt()).isPositive();

        try (var db = TestProject.open(project)) {
            List<dev.brun.store.StoredConversation> all = new ArrayList<>();
            db.conversations().streamAll(dev.brun.store.ConversationFilter.all(), all::add);
            assertThat(all).hasSize(2);
            var cut = all.stream().filter(c -> c.conversation().turns().stream()
                    .anyMatch(t -> t.content().endsWith("the piece that"))).findFirst().orElseThrow();
            assertThat(db.quality().flags(cut.conversation().id())).as("flagged at import, no check has run")
                    .anyMatch(f -> f.code().equals(dev.brun.quality.TruncationCheck.CODE));
        }
        CliRun passing = TestProject.run(project, "export", "--format", "openai", "--out", tmp.resolve("out").toString());
        assertThat(passing.exitCode()).as(passing.err()).isZero();
        assertThat(lines(tmp.resolve("out/openai-train.jsonl")) + lines(tmp.resolve("out/openai-validation.jsonl")))
                .as("the cut conversation stays out of a passing export").isEqualTo(1);
    }

    @Test
    void aRejectedFileNamesTheFilesThatWereFineAndSkipInvalidImportsThose() throws IOException {
        Path project = tmp.resolve("p");
        var pack = PackCopier.copy("financial-planning", project.resolve("pack"));
        ProjectConfigWriter.write(project, ProjectConfig.defaults(pack));
        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"training_file_metadata\": ", StandardCharsets.UTF_8);
        String good = TestProject.seedFiles().get(1).toString();

        CliRun refused = TestProject.run(project, "import", good, broken.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("broken.json").contains("truncated JSON").contains("Fine: " + Path.of(good).toAbsolutePath().normalize()).contains("--skip-invalid");

        CliRun skipped = TestProject.run(project, "import", "--skip-invalid", good, broken.toString());
        assertThat(skipped.exitCode()).as(skipped.err()).isZero();
        assertThat(skipped.err()).contains("skipped: ").contains("broken.json");
        assertThat(skipped.out()).contains("1 conversations imported");
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        try (var l = Files.lines(file, StandardCharsets.UTF_8)) { return l.filter(s -> !s.isBlank()).count(); }
    }
}

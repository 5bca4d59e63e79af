package dev.brun.cli;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;
import dev.brun.store.ConversationFilter;
import dev.brun.store.Database;
import dev.brun.store.StoredConversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ExportCommandTest {
    @TempDir Path tmp;

    /** The reference data imported and checked: the state a user exports from. */
    private Path checkedProject() {
        return TestProject.checked(tmp.resolve("p"));
    }

    @Test
    void exportsEveryFormatAndEachParsesBackWithTheCountsTheManifestStates() throws Exception {
        Path project = checkedProject();
        Path out = tmp.resolve("out");

        CliRun run = TestProject.run(project, "export", "--format", "all", "--only", "all", "--out", out.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = TestProject.json(run.out());
        int conversations = doc.get("conversations").asInt();
        int pairs = doc.get("training_pairs").asInt();
        assertThat(conversations + doc.get("excluded_count").asInt()).isEqualTo(24);
        assertThat(conversations).isPositive();
        int train = doc.get("train_conversations").asInt(), validation = doc.get("validation_conversations").asInt();
        assertThat(train + validation).isEqualTo(conversations);

        // v4 JSON: one conversation object per exported conversation, one pair per consultant reply.
        JsonNode v4 = TestProject.json(Files.readString(out.resolve("training-v4.json")));
        assertThat(v4.get("conversations")).hasSize(conversations);
        int v4Pairs = 0;
        Set<String> pairIds = new HashSet<>();
        for (JsonNode c : v4.get("conversations"))
            for (JsonNode p : c.get("training_pairs")) {
                v4Pairs++;
                assertThat(pairIds.add(p.get("id").asString())).as("pair ids are unique").isTrue();
                assertThat(p.get("target_response").asString()).isNotBlank();
                // Imported pairs keep the system prompt their file recorded (the original platform's, not the pack's).
                assertThat(p.get("system_prompt").asString()).startsWith("You are an emotionally intelligent financial planning");
                // The generation date the files recorded (2025-10-22 for the seeds, 2025-12-03 for the v4 file), not today.
                assertThat(c.at("/conversation_metadata/created_date").asString()).isIn("2025-10-22", "2025-12-03");
            }
        assertThat(v4Pairs).isEqualTo(pairs);

        // v4 JSONL: a _meta line, then one pair per line.
        List<String> jsonl = Files.readAllLines(out.resolve("training-v4.jsonl"));
        assertThat(TestProject.json(jsonl.getFirst()).has("_meta")).isTrue();
        assertThat(jsonl).hasSize(pairs + 1);

        // OpenAI and Hugging Face: messages, system first, then user/assistant alternating, ending with the assistant.
        for (String prefix : List.of("openai-", "hf/")) {
            int lines = 0;
            for (String split : List.of("train", "validation")) {
                Path file = out.resolve(prefix + split + ".jsonl");
                if (!Files.exists(file)) continue;
                for (String line : Files.readAllLines(file)) {
                    JsonNode messages = TestProject.json(line).get("messages");
                    assertThat(messages.get(0).get("role").asString()).isEqualTo("system");
                    for (int i = 1; i < messages.size(); i++) {
                        assertThat(messages.get(i).get("role").asString()).isEqualTo(i % 2 == 1 ? "user" : "assistant");
                        assertThat(messages.get(i).get("content").asString()).isNotBlank();
                    }
                    assertThat(messages.get(messages.size() - 1).get("role").asString()).isEqualTo("assistant");
                    lines++;
                }
            }
            assertThat(lines).as(prefix).isEqualTo(conversations);
        }
        assertThat(Files.readString(out.resolve("hf/README.md"))).startsWith("---");

        // ShareGPT: system, then human/gpt.
        try (Stream<String> lines = Files.lines(out.resolve("sharegpt-train.jsonl"))) {
            lines.map(TestProject::json).forEach(l -> {
                JsonNode turns = l.get("conversations");
                assertThat(turns.get(0).get("from").asString()).isEqualTo("system");
                assertThat(turns.get(1).get("from").asString()).isEqualTo("human");
                assertThat(turns.get(2).get("from").asString()).isEqualTo("gpt");
            });
        }

        // The manifest lists every other file with its real size and SHA-256, and the settings per phase.
        JsonNode manifest = TestProject.json(Files.readString(out.resolve("manifest.json")));
        assertThat(manifest.at("/counts/conversations").asInt()).isEqualTo(conversations);
        assertThat(manifest.at("/settings/generation/seed/model").asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(manifest.at("/settings/generation/expansion/temperature").asDouble()).isEqualTo(0.95);
        assertThat(manifest.get("total_cost_usd").asDouble()).isZero();
        for (JsonNode f : manifest.get("files")) {
            byte[] bytes = Files.readAllBytes(out.resolve(f.get("path").asString()));
            assertThat(f.get("bytes").asLong()).isEqualTo(bytes.length);
            assertThat(f.get("sha256").asString()).isEqualTo(sha256(bytes));
        }
        assertThat(doc.get("files")).hasSize(manifest.get("files").size() + 1);
    }

    @Test
    void theV4FileValidatesAgainstTheShippedSchemaTheManifestIsCompleteAndTheSplitDoesNotLeak() throws Exception {
        Path project = checkedProject();
        try (Database db = TestProject.open(project)) {
            db.ledger().record(new dev.brun.store.LedgerEntry(null, "u1", "seed", "anthropic", "claude-sonnet-4-5", "r1",
                    1_000, 500, 0, 0, 0.42, false, dev.brun.store.LedgerOutcome.STORED, java.time.Instant.parse("2026-01-01T00:00:00Z")));
        }
        Path out = tmp.resolve("out");

        CliRun run = TestProject.run(project, "export", "--only", "all", "--split", "0.5", "--seed", "7", "--out", out.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = TestProject.json(run.out());
        // The per-pack schema ships beside the export, and a JSON Schema validator accepts the v4 file against it.
        JsonNode schema = TestProject.json(Files.readString(out.resolve("schema.json")));
        JsonNode v4 = TestProject.json(Files.readString(out.resolve("training-v4.json")));
        var validator = com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                .getSchema(schema);
        assertThat(validator.validate(v4)).isEmpty();
        assertThat(schema.at("/$defs/pair_conversation_metadata/properties/persona_archetype/enum").toString())
                .isEqualTo("[\"anxious_planner\",\"overwhelmed_avoider\",\"pragmatic_optimist\"]");
        // The same validator rejects a pair keyed outside the pack.
        var tampered = (tools.jackson.databind.node.ObjectNode) v4.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) tampered.at("/conversations/0/training_pairs/0/conversation_metadata"))
                .put("persona_archetype", "retired_teacher");
        assertThat(validator.validate(tampered)).isNotEmpty();

        JsonNode manifest = TestProject.json(Files.readString(out.resolve("manifest.json")));
        try (var p = dev.brun.project.Project.open(project)) {
            assertThat(manifest.at("/pack/hash").asString()).isEqualTo(p.pack().hash());
            assertThat(manifest.at("/pack/name").asString()).isEqualTo("financial-planning");
        }
        assertThat(manifest.get("brun_version").asString()).isEqualTo(dev.brun.BrunVersion.get());
        for (String phase : List.of("seed", "expansion", "edge")) {
            assertThat(manifest.at("/settings/generation/" + phase + "/model").asString()).as(phase).isNotBlank();
            assertThat(manifest.at("/settings/generation/" + phase + "/temperature").isNumber()).as(phase).isTrue();
        }
        assertThat(manifest.at("/settings/seed").asLong()).isEqualTo(7);
        assertThat(manifest.at("/settings/train_fraction").asDouble()).isEqualTo(0.5);
        assertThat(manifest.get("total_cost_usd").asDouble()).isEqualTo(0.42);
        assertThat(manifest.at("/counts/conversations").asInt()).isEqualTo(doc.get("conversations").asInt());
        assertThat(manifest.at("/excluded/count").asInt()).isEqualTo(doc.get("excluded_count").asInt());
        int byReason = 0;
        for (var e : manifest.at("/excluded/reasons").properties()) byReason += e.getValue().asInt();
        assertThat(byReason).isEqualTo(doc.get("excluded_count").asInt());
        List<String> listed = new ArrayList<>();
        for (JsonNode f : manifest.get("files")) {
            listed.add(f.get("path").asString());
            assertThat(f.get("sha256").asString()).isEqualTo(sha256(Files.readAllBytes(out.resolve(f.get("path").asString()))));
        }
        assertThat(listed).contains("training-v4.json", "training-v4.jsonl", "schema.json", "openai-train.jsonl", "openai-validation.jsonl",
                "sharegpt-train.jsonl", "hf/train.jsonl", "hf/validation.jsonl", "hf/README.md");

        // No combination of persona x arc x topic is in both splits, and the chat files hold exactly their split's conversations.
        Map<String, Set<String>> splitsByCombination = new HashMap<>();
        Map<String, Set<String>> firstInputsBySplit = new HashMap<>();
        for (JsonNode c : v4.get("conversations")) {
            JsonNode sc = c.at("/conversation_metadata/scaffolding");
            String split = c.at("/conversation_metadata/split").asString();
            splitsByCombination.computeIfAbsent(sc.get("persona_key").asString() + "|" + sc.get("emotional_arc_key").asString() + "|"
                    + sc.get("training_topic_key").asString(), k -> new HashSet<>()).add(split);
            firstInputsBySplit.computeIfAbsent(split, k -> new HashSet<>()).add(c.at("/training_pairs/0/current_user_input").asString());
        }
        assertThat(splitsByCombination.values()).allSatisfy(splits -> assertThat(splits).hasSize(1));
        assertThat(firstInputsBySplit).containsOnlyKeys("train", "validation");
        for (String split : List.of("train", "validation")) {
            Set<String> firstInputs = new HashSet<>();
            for (String line : Files.readAllLines(out.resolve("hf/" + split + ".jsonl")))
                firstInputs.add(TestProject.json(line).at("/messages/1/content").asString());
            assertThat(firstInputs).as(split).isEqualTo(firstInputsBySplit.get(split));
        }
        String card = Files.readString(out.resolve("hf/README.md"));
        assertThat(card).startsWith("---\n").contains("configs:").contains("train.jsonl").contains("validation.jsonl")
                .contains("anxious_planner").contains("financial-planning");

        // The same seed writes the same training files again.
        Path again = tmp.resolve("again");
        assertThat(TestProject.run(project, "export", "--only", "all", "--split", "0.5", "--seed", "7", "--out", again.toString()).exitCode()).isZero();
        for (String file : List.of("training-v4.jsonl", "openai-train.jsonl", "openai-validation.jsonl", "hf/train.jsonl"))
            assertThat(sha256(Files.readAllBytes(again.resolve(file)))).as(file).isEqualTo(sha256(Files.readAllBytes(out.resolve(file))));
    }

    @Test
    void theReferenceDataRoundTripsThroughBothV4FilesWithNothingLostOrChanged() {
        Path project = checkedProject();
        Path out = tmp.resolve("out");
        CliRun export = TestProject.run(project, "export", "--format", "v4-json,v4-jsonl", "--only", "all", "--out", out.toString(), "--json");
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(TestProject.json(export.out()).get("conversations").asInt()).as("every reference conversation is exported").isEqualTo(24);

        for (String file : List.of("training-v4.json", "training-v4.jsonl")) {
            Path fresh = TestProject.create(tmp.resolve("fresh-" + file));
            CliRun back = TestProject.run(fresh, "import", "--json", out.resolve(file).toString());

            assertThat(back.exitCode()).as(back.err()).isZero();
            JsonNode doc = TestProject.json(back.out());
            assertThat(doc.get("imported").asInt()).as(file).isEqualTo(24);
            assertThat(doc.at("/files/0/defects").has("schema_violation")).as(doc.toString()).isFalse();
            assertThat(doc.at("/files/0/defects").has("null_target")).isFalse();
            assertThat(doc.at("/files/0/defects").has("duplicate_pair_id")).isFalse();
            try (Database a = TestProject.open(project); Database b = TestProject.open(fresh)) {
                List<StoredConversation> before = new ArrayList<>();
                a.conversations().streamAll(ConversationFilter.all(), before::add);
                for (StoredConversation x : before) {
                    StoredConversation y = b.conversations().find(x.conversation().id()).orElseThrow();
                    assertThat(y.conversation()).as(file + " " + x.conversation().id()).isEqualTo(x.conversation());
                    assertThat(y.scores().orElseThrow().overall()).isEqualTo(x.scores().orElseThrow().overall());
                    assertThat(y.scores().orElseThrow().method()).isEqualTo(x.scores().orElseThrow().method());
                    assertThat(y.review().status()).isEqualTo(x.review().status());
                    assertThat(y.review().seed()).isEqualTo(x.review().seed());
                    assertThat(y.review().notes()).isEqualTo(x.review().notes());
                }
            }
        }
    }

    @Test
    void onlyApprovedTakesWhatAPersonApprovedAndNothingElse() {
        Path project = checkedProject();
        long approved;
        try (Database db = TestProject.open(project)) {
            approved = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM reviews WHERE status = 'approved'").mapTo(Long.class).one());
        }
        assertThat(approved).as("the six seed files come approved").isEqualTo(6);

        CliRun run = TestProject.run(project, "export", "--only", "approved", "--format", "openai", "--split", "1", "--out",
                tmp.resolve("a").toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = TestProject.json(run.out());
        assertThat(doc.get("selection").asString()).isEqualTo("approved");
        assertThat(doc.get("conversations").asInt()).isEqualTo(6);
        assertThat(doc.get("excluded").toString()).contains("not approved");
    }

    @Test
    void simulatedConversationsAreRefusedUnlessAllowed() {
        Path project = TestProject.create(tmp.resolve("p"));
        try (Database db = TestProject.open(project)) {
            Conversation c = new Conversation("sim-1", null, new Scaffolding("anxious_planner", "confusion_to_clarity", "long_term_care", 0, "seed"),
                    "context", "outcome", List.of(
                    Turn.user(0, "I don't understand long-term care insurance at all.", new Emotion("confusion", null, 0.8, 0.9, Valence.NEGATIVE)),
                    Turn.assistant(1, "That is a very common feeling. Would it help if I explained how these policies work?", "confusion_expression", null, List.of())),
                    Source.GENERATED, "simulated", "claude-sonnet-4-5");
            db.conversations().insertImported(c);
            db.quality().putScores("sim-1", new Scores(4, 4, 4, 4, 4, "heuristic", Map.of()));
        }

        CliRun refused = TestProject.run(project, "export", "--out", tmp.resolve("a").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("simulated provider").contains("--allow-simulated");
        assertThat(tmp.resolve("a")).as("nothing written, not even the folder").doesNotExist();

        CliRun allowed = TestProject.run(project, "export", "--allow-simulated", "--format", "openai", "--split", "1", "--out", tmp.resolve("b").toString());
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(allowed.out()).contains("openai-train.jsonl").contains("1 conversations, 1 training pairs (train 1, validation 0)");
    }

    @Test
    void systemPromptPackGivesEveryConversationThePacksPromptAndSystemFoldOrDropRemovesTheSystemRole() throws Exception {
        Path project = checkedProject();
        Path pack = tmp.resolve("pack"), fold = tmp.resolve("fold"), drop = tmp.resolve("drop");
        assertThat(TestProject.run(project, "export", "--only", "all", "--split", "1", "--system-prompt", "pack", "--out", pack.toString())
                .exitCode()).isZero();
        assertThat(TestProject.run(project, "export", "--only", "all", "--split", "1", "--system", "fold", "--out", fold.toString())
                .exitCode()).isZero();
        assertThat(TestProject.run(project, "export", "--only", "all", "--split", "1", "--system", "drop", "--format", "openai,sharegpt",
                "--out", drop.toString()).exitCode()).isZero();

        JsonNode v4 = TestProject.json(Files.readString(pack.resolve("training-v4.json")));
        for (JsonNode c : v4.get("conversations"))
            for (JsonNode p : c.get("training_pairs")) assertThat(p.get("system_prompt").asString()).startsWith("You are Elena Morales");
        assertThat(TestProject.json(Files.readAllLines(pack.resolve("openai-train.jsonl")).getFirst()).at("/messages/0/content").asString())
                .startsWith("You are Elena Morales");

        List<String> folded = Files.readAllLines(fold.resolve("openai-train.jsonl"));
        List<String> kept = Files.readAllLines(pack.resolve("openai-train.jsonl"));
        assertThat(folded).hasSameSizeAs(kept);
        JsonNode first = TestProject.json(folded.getFirst()).get("messages");
        assertThat(first.get(0).get("role").asString()).isEqualTo("user");
        assertThat(first.get(0).get("content").asString()).startsWith("You are an emotionally intelligent financial planning")
                .contains("\n\n");
        assertThat(first.get(1).get("role").asString()).isEqualTo("assistant");
        for (String line : folded)
            for (JsonNode m : TestProject.json(line).get("messages")) assertThat(m.get("role").asString()).isNotEqualTo("system");
        assertThat(Files.readString(fold.resolve("hf/README.md"))).contains("no system message (the consultant system prompt opens the first user message");
        JsonNode share = TestProject.json(Files.readAllLines(fold.resolve("sharegpt-train.jsonl")).getFirst()).get("conversations");
        assertThat(share.get(0).get("from").asString()).isEqualTo("human");
        // The v4 file keeps the prompt in its own field whatever --system says.
        assertThat(TestProject.json(Files.readString(fold.resolve("training-v4.json"))).at("/conversations/0/training_pairs/0/system_prompt")
                .asString()).isNotBlank();

        JsonNode dropped = TestProject.json(Files.readAllLines(drop.resolve("openai-train.jsonl")).getFirst()).get("messages");
        assertThat(dropped.get(0).get("role").asString()).isEqualTo("user");
        assertThat(dropped.get(0).get("content").asString()).doesNotContain("emotionally intelligent financial planning chatbot");

        CliRun bad = TestProject.run(project, "export", "--system", "merge", "--out", tmp.resolve("bad").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--system merge").contains("keep, fold, drop");
        assertThat(tmp.resolve("bad")).doesNotExist();
    }

    @Test
    void aFolderThatCannotBeWrittenFailsWithExitOne() throws IOException {
        Path project = TestProject.imported(tmp.resolve("p"));
        Path notAFolder = Files.writeString(tmp.resolve("taken"), "a file, not a folder");

        CliRun run = TestProject.run(project, "export", "--format", "openai", "--out", notAFolder.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).contains(notAFolder.toString());
        assertThat(Files.readString(notAFolder)).isEqualTo("a file, not a folder");
    }

    @Test
    void anUnknownFormatIsBadInput() {
        Path project = TestProject.create(tmp.resolve("p"));
        CliRun run = TestProject.run(project, "export", "--format", "v4-json,parquet");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown export format 'parquet'").contains("v4-jsonl");
    }

    @Test
    void theDefaultFolderIsUnderExportsAndExclusionsAreListedByReason() throws IOException {
        Path project = TestProject.imported(tmp.resolve("p"));

        // Not checked: the imported scores count, and the default selection keeps conversations without error flags.
        CliRun run = TestProject.run(project, "export", "--format", "openai", "--min-score", "4");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("score below --min-score 4.0").contains("left out (--only passing)");
        try (Stream<Path> folders = Files.list(project.resolve("exports"))) {
            Path folder = folders.findFirst().orElseThrow();
            assertThat(folder.getFileName().toString()).matches("\\d{8}-\\d{6}");
            assertThat(folder.resolve("manifest.json")).exists();
            assertThat(Files.readString(folder.resolve("manifest.json"), StandardCharsets.UTF_8)).contains("\"min_score\" : 4.0");
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

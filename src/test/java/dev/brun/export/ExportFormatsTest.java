package dev.brun.export;

import dev.brun.BadInputException;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportFormatsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir Path dir;
    private List<ExportItem> items;
    private ExportResult result;

    @BeforeEach
    void exportEverything() {
        items = TestItems.grid(3);
        ExportSettings settings = ExportSettings.defaults(dir, TestPacks.SYSTEM_PROMPT, "0.1.0-test")
                .withRunFacts(Map.of("seed", Map.of("model", "claude-sonnet-4-5", "temperature", 0.7)), 12.5);
        result = new Exporter(TestPacks.financialPlanning(), settings).export(items);
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) out.add(JSON.readTree(line));
        return out;
    }

    private int assistantTurns() { return items.stream().mapToInt(i -> i.conversation().assistantTurns().size()).sum(); }

    @Test
    void v4JsonValidatesAgainstThePerPackSchemaAndCarriesOnePairPerReply() throws Exception {
        JsonNode schema = JSON.readTree(dir.resolve(Exporter.SCHEMA).toFile());
        JsonNode doc = JSON.readTree(dir.resolve(Exporter.V4_JSON).toFile());
        assertThat(PackSchema.violations(schema, doc)).isEmpty();
        assertThat(schema.at("/$defs/pair_conversation_metadata/properties/persona_archetype/enum").toString())
                .isEqualTo("[\"anxious_planner\",\"overwhelmed_avoider\",\"pragmatic_optimist\"]");
        assertThat(schema.at("/$defs/pair_conversation_metadata/properties/conversation_phase/enum").toString()).contains("couple_conflict_resolution");

        JsonNode meta = doc.get("training_file_metadata");
        assertThat(meta.get("format_spec").asString()).isEqualTo("brightrun-lora-v4");
        assertThat(meta.get("total_conversations").intValue()).isEqualTo(items.size());
        assertThat(meta.get("total_training_pairs").intValue()).isEqualTo(assistantTurns());
        assertThat(meta.at("/scaffolding_distribution/personas/anxious_planner").intValue()).isEqualTo(36);
        assertThat(meta.at("/quality_summary/max_quality_score").doubleValue()).isEqualTo(4.5);
        assertThat(meta.at("/quality_summary/min_quality_score").doubleValue()).isEqualTo(4.0);
        assertThat(doc.at("/consultant_profile/name").asString()).isEqualTo("Elena Morales, CFP");

        Set<String> ids = new HashSet<>();
        int pairs = 0;
        for (JsonNode c : doc.get("conversations")) {
            JsonNode scaffolding = c.at("/conversation_metadata/scaffolding");
            assertThat(scaffolding.has("variation_index")).isTrue();
            ExportItem item = items.stream().filter(i -> i.conversation().id().equals(c.at("/conversation_metadata/brun_conversation_id").asString())).findFirst().orElseThrow();
            for (JsonNode p : c.get("training_pairs")) {
                pairs++;
                assertThat(ids.add(p.get("id").asString())).as("unique id").isTrue();
                assertThat(p.get("target_response").isString()).isTrue();
                assertThat(p.get("target_response").asString()).isNotBlank();
                assertThat(p.get("system_prompt").asString()).isEqualTo(TestPacks.SYSTEM_PROMPT);
                JsonNode history = p.get("conversation_history");
                int turn = p.get("turn_number").intValue();
                assertThat(history.size()).isEqualTo(turn - 2);
                if (!history.isEmpty()) {
                    assertThat(history.get(history.size() - 1).get("role").asString()).isEqualTo("assistant");
                    assertThat(history.get(history.size() - 1).get("content").asString()).isNotEqualTo(p.get("current_user_input").asString());
                }
                var reply = item.conversation().turns().get(turn - 1);
                var input = item.conversation().turns().get(turn - 2);
                assertThat(p.get("current_user_input").asString()).isEqualTo(input.content());
                assertThat(p.get("target_response").asString()).isEqualTo(reply.content());
                JsonNode tm = p.get("training_metadata");
                assertThat(tm.get("key_learning_objective").asString()).isEqualTo(reply.learningObjective());
                assertThat(tm.get("demonstrates_skills").toString()).isEqualTo("[\"validation\",\"plain_language\"]");
                assertThat(tm.get("quality_score").doubleValue()).isEqualTo(item.scores().overall());
                assertThat(tm.get("human_reviewed").booleanValue()).isEqualTo(item.review().status() != dev.brun.conversation.ReviewStatus.PENDING);
                assertThat(tm.get("use_as_seed_example").booleanValue()).isEqualTo(item.review().seed());
                assertThat(p.at("/emotional_context/detected_emotions/primary").asString()).isEqualTo(input.emotion().primary());
                assertThat(p.at("/conversation_metadata/conversation_phase").asString()).isEqualTo(reply.phase());
            }
        }
        assertThat(pairs).isEqualTo(assistantTurns());
    }

    @Test
    void v4JsonlHasAMetaHeaderThenOneValidPairPerLine() throws Exception {
        List<JsonNode> lines = lines(dir.resolve(Exporter.V4_JSONL));
        assertThat(lines.getFirst().at("/_meta/format_spec").asString()).isEqualTo("brightrun-lora-v4");
        assertThat(lines.getFirst().at("/_meta/total_pairs").intValue()).isEqualTo(assistantTurns());
        assertThat(lines).hasSize(assistantTurns() + 1);
        var pairSchema = PackSchema.compile(PackSchema.pairSchema(PackSchema.forPack(TestPacks.financialPlanning())));
        for (JsonNode pair : lines.subList(1, lines.size())) {
            assertThat(PackSchema.violations(pairSchema, pair)).isEmpty();
            assertThat(pair.get("target_response").asString()).isNotBlank();
        }
    }

    @Test
    void openAiAndHuggingFaceFilesPassTheChatChecksAndSplitWithoutLeakage() throws Exception {
        for (String prefix : List.of("openai-", "hf/")) {
            List<JsonNode> train = lines(dir.resolve(prefix + "train.jsonl"));
            List<JsonNode> validation = lines(dir.resolve(prefix + "validation.jsonl"));
            assertThat(train.size() + validation.size()).isEqualTo(items.size());
            assertThat(train.size()).isEqualTo(result.trainConversations());
            Set<String> trainCombos = new HashSet<>(), validationCombos = new HashSet<>();
            for (JsonNode ex : train) {
                assertThat(OpenAiChatCheck.problems(ex, 16_384)).isEmpty();
                assertThat(ex.at("/messages/0/role").asString()).isEqualTo("system");
                assertThat(ex.at("/messages/0/content").asString()).isEqualTo(TestPacks.SYSTEM_PROMPT);
                trainCombos.add(ex.at("/messages/1/content").asString().replaceAll("Question 0 about (\\S+) from (\\S+) on (\\S+)\\?", "$2|$3|$1"));
            }
            for (JsonNode ex : validation) {
                assertThat(OpenAiChatCheck.problems(ex, 16_384)).isEmpty();
                validationCombos.add(ex.at("/messages/1/content").asString().replaceAll("Question 0 about (\\S+) from (\\S+) on (\\S+)\\?", "$2|$3|$1"));
            }
            assertThat(validation).isNotEmpty();
            assertThat(trainCombos).doesNotContainAnyElementsOf(validationCombos);
        }
        String card = Files.readString(dir.resolve("hf/README.md"));
        assertThat(card).startsWith("---\n").contains("configs:", "- split: train", "path: train.jsonl", "- split: validation",
                "num_examples: " + result.trainConversations(), "| anxious_planner | 36 |", "claude-sonnet-4-5", "financial-planning");
    }

    @Test
    void shareGptUsesSystemHumanGptTurns() throws Exception {
        List<JsonNode> all = new ArrayList<>(lines(dir.resolve("sharegpt-train.jsonl")));
        all.addAll(lines(dir.resolve("sharegpt-validation.jsonl")));
        assertThat(all).hasSize(items.size());
        for (JsonNode ex : all) {
            assertThat(ex.propertyNames()).containsExactly("conversations");
            JsonNode turns = ex.get("conversations");
            assertThat(turns.get(0).get("from").asString()).isEqualTo("system");
            for (int i = 1; i < turns.size(); i++) {
                assertThat(turns.get(i).get("from").asString()).isEqualTo(i % 2 == 1 ? "human" : "gpt");
                assertThat(turns.get(i).get("value").asString()).isNotBlank();
            }
            assertThat(turns.get(turns.size() - 1).get("from").asString()).isEqualTo("gpt");
        }
    }

    @Test
    void manifestListsEveryFileWithItsSha256AndTheRunFacts() throws Exception {
        JsonNode manifest = JSON.readTree(dir.resolve(Exporter.MANIFEST).toFile());
        assertThat(manifest.get("brun_version").asString()).isEqualTo("0.1.0-test");
        assertThat(manifest.at("/pack/hash").asString()).isEqualTo(TestPacks.financialPlanning().hash());
        assertThat(manifest.at("/total_cost_usd").doubleValue()).isEqualTo(12.5);
        assertThat(manifest.at("/settings/generation/seed/model").asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(manifest.at("/counts/conversations").intValue()).isEqualTo(items.size());
        JsonNode files = manifest.get("files");
        assertThat(files.size()).isEqualTo(12);  // every file but the manifest itself (train/axolotl.yaml and train/trl_sft.py included)
        for (JsonNode f : files) {
            byte[] bytes = Files.readAllBytes(dir.resolve(f.get("path").asString()));
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(f.get("sha256").asString());
            assertThat(f.get("bytes").longValue()).isEqualTo(bytes.length);
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void refusesSimulatedConversationsUnlessAllowed(@TempDir Path other) {
        List<ExportItem> simulated = List.of(TestItems.item("anxious_planner", "confusion_to_clarity", "long_term_care", 0, 2, "simulated"));
        ExportSettings settings = ExportSettings.defaults(other, TestPacks.SYSTEM_PROMPT, "test");
        assertThatThrownBy(() -> new Exporter(TestPacks.financialPlanning(), settings).export(simulated))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--allow-simulated");
        assertThat(other.resolve(Exporter.MANIFEST)).doesNotExist();
        ExportResult allowed = new Exporter(TestPacks.financialPlanning(), settings.withAllowSimulated(true)).export(simulated);
        assertThat(allowed.conversations()).isEqualTo(1);
    }

    @Test
    void excludesAndCountsOverLongFlaggedUnapprovedAndLowScoringConversations(@TempDir Path other) throws Exception {
        List<ExportItem> mixed = new ArrayList<>(TestItems.grid(1));
        ExportItem flagged = TestItems.item("pragmatic_optimist", "shame_to_acceptance", "emergency_fund", 5, 2, "anthropic");
        mixed.add(new ExportItem(flagged.conversation(), flagged.generation(), flagged.scores(),
                List.of(QualityFlag.of("truncated", Severity.ERROR, "reply ends mid-sentence", 3)), flagged.review()));
        ExportItem longOne = TestItems.item("pragmatic_optimist", "shame_to_acceptance", "emergency_fund", 6, 2, "anthropic");
        var longTurns = new ArrayList<>(longOne.conversation().turns());
        longTurns.set(1, longTurns.get(1).withContent("x".repeat(4_000)));
        mixed.add(new ExportItem(longOne.conversation().withTurns(longTurns), null, longOne.scores(), List.of(), longOne.review()));
        ExportSettings settings = ExportSettings.defaults(other, TestPacks.SYSTEM_PROMPT, "test").withMaxTokens(500);

        ExportResult r = new Exporter(TestPacks.financialPlanning(), settings).export(mixed);
        assertThat(r.conversations()).isEqualTo(36);
        assertThat(r.excluded()).containsEntry("error flag: truncated", 1).containsEntry("over the token limit of 500 per example", 1);
        JsonNode manifest = JSON.readTree(other.resolve(Exporter.MANIFEST).toFile());
        assertThat(manifest.at("/excluded/count").intValue()).isEqualTo(2);

        ExportResult approved = new Exporter(TestPacks.financialPlanning(), settings.withSelection(Selection.APPROVED, null)).export(mixed);
        assertThat(approved.conversations()).isEqualTo(36);  // grid(1) has only variation 0, which TestItems approves
        ExportResult high = new Exporter(TestPacks.financialPlanning(), settings.withSelection(Selection.ALL, 4.2)).export(TestItems.grid(2));
        assertThat(high.conversations()).isEqualTo(36);
        assertThat(high.excluded()).containsEntry("score below --min-score 4.2", 36);
    }

    @Test
    void failsClearlyWhenNothingPassesTheSelection(@TempDir Path other) {
        ExportSettings settings = ExportSettings.defaults(other, TestPacks.SYSTEM_PROMPT, "test").withSelection(Selection.APPROVED, null);
        List<ExportItem> pending = List.of(TestItems.item("anxious_planner", "confusion_to_clarity", "long_term_care", 1, 2, "anthropic"));
        assertThatThrownBy(() -> new Exporter(TestPacks.financialPlanning(), settings).export(pending))
                .isInstanceOf(BadInputException.class).hasMessageContaining("nothing to export").hasMessageContaining("not approved");
    }

    @Test
    void writesOnlyTheRequestedFormats(@TempDir Path other) {
        ExportSettings settings = ExportSettings.defaults(other, TestPacks.SYSTEM_PROMPT, "test").withFormats(ExportFormat.parse("openai"));
        ExportResult r = new Exporter(TestPacks.financialPlanning(), settings).export(TestItems.grid(1));
        assertThat(r.files()).extracting(WrittenFile::path).containsExactlyInAnyOrder("openai-train.jsonl", "openai-validation.jsonl",
                "train/axolotl.yaml", "train/trl_sft.py", "manifest.json");
        assertThat(ExportFormat.parse("all")).isEqualTo(EnumSet.allOf(ExportFormat.class));
        assertThatThrownBy(() -> ExportFormat.parse("csv")).isInstanceOf(BadInputException.class).hasMessageContaining("v4-json");
    }

    @Test
    void chatCheckCatchesWhatOpenAiWouldReject() throws Exception {
        JsonNode bad = JSON.readTree("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"\"},"
                + "{\"role\":\"bot\",\"content\":\"x\",\"name\":\"n\"}],\"extra\":1}");
        assertThat(OpenAiChatCheck.problems(bad, 100)).anyMatch(p -> p.contains("unknown key 'extra'"))
                .anyMatch(p -> p.contains("empty")).anyMatch(p -> p.contains("role")).anyMatch(p -> p.contains("unknown key 'name'"))
                .anyMatch(p -> p.contains("no assistant"));
        JsonNode tooLong = JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(500) + "\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}");
        assertThat(OpenAiChatCheck.problems(tooLong, 100)).anyMatch(p -> p.contains("over the limit of 100"));
        assertThat(OpenAiChatCheck.problems(tooLong, 1000)).isEmpty();
    }

    @Test
    void readsAFreshStreamPerPassAndClosesEachOne(@TempDir Path other) {
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger(), closed = new java.util.concurrent.atomic.AtomicInteger();
        // Items are made on demand, as a database cursor would deliver them: nothing holds the whole set.
        java.util.function.Supplier<java.util.stream.Stream<ExportItem>> source = () -> {
            opened.incrementAndGet();
            return java.util.stream.IntStream.range(0, 3_000).mapToObj(i -> TestItems.item(TestItems.PERSONAS.get(i % 3),
                    TestItems.ARCS.get(i / 3 % 3), TestItems.TOPICS.get(i / 9 % 4), i / 36, 2, "anthropic")).onClose(closed::incrementAndGet);
        };
        ExportResult r = new Exporter(TestPacks.financialPlanning(), ExportSettings.defaults(other, TestPacks.SYSTEM_PROMPT, "test")).export(source);
        assertThat(r.conversations()).isEqualTo(3_000);
        assertThat(opened.get()).isEqualTo(1 + 1 + 1 + 2 + 2 + 2).isEqualTo(closed.get());
    }

    @Test
    void refusesASystemPromptTooShortForTheV4Schema(@TempDir Path other) {
        ExportSettings settings = ExportSettings.defaults(other, "You are Elena.", "test");
        assertThatThrownBy(() -> new Exporter(TestPacks.financialPlanning(), settings).export(TestItems.grid(1)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("at least 100");
        assertThat(new Exporter(TestPacks.financialPlanning(), settings.withFormats(ExportFormat.parse("openai"))).export(TestItems.grid(1))
                .conversations()).isEqualTo(36);
    }

    @Test
    void exportsConversationsWithKeysThePackDoesNotDefineAndTheirSchemaAdmitsThem(@TempDir Path other) throws Exception {
        List<ExportItem> mixed = new ArrayList<>(TestItems.grid(1));
        mixed.add(TestItems.item("retired_teacher", "confusion_to_clarity", "long_term_care", 0, 2, "anthropic"));
        ExportResult r = new Exporter(TestPacks.financialPlanning(), ExportSettings.defaults(other, TestPacks.SYSTEM_PROMPT, "test")).export(mixed);
        assertThat(r.conversations()).isEqualTo(37);
        assertThat(r.excluded()).isEmpty();
        var schema = JSON.readTree(other.resolve("schema.json").toFile());
        assertThat(PackSchema.violations(schema, JSON.readTree(other.resolve("training-v4.json").toFile()))).isEmpty();
    }

    @Test
    void aFullTrainSplitWritesNoValidationFiles(@TempDir Path other) throws Exception {
        ExportSettings settings = ExportSettings.defaults(other, TestPacks.SYSTEM_PROMPT, "test").withSplit(1.0, 3);
        ExportResult r = new Exporter(TestPacks.financialPlanning(), settings).export(TestItems.grid(1));
        assertThat(r.validationConversations()).isZero();
        assertThat(other.resolve("openai-validation.jsonl")).doesNotExist();
        assertThat(other.resolve("hf/validation.jsonl")).doesNotExist();
        assertThat(Files.readString(other.resolve("hf/README.md"))).doesNotContain("split: validation");
    }

    @Test
    void thePerPackSchemaRejectsKeysFromOutsideThePack() throws Exception {
        JsonNode schema = JSON.readTree(dir.resolve(Exporter.SCHEMA).toFile());
        String tampered = Files.readString(dir.resolve(Exporter.V4_JSON)).replaceFirst("\"persona_archetype\" : \"anxious_planner\"",
                "\"persona_archetype\" : \"retired_teacher\"");
        assertThat(PackSchema.violations(schema, JSON.readTree(tampered))).singleElement().asString().contains("persona_archetype");
        assertThat(PackSchema.violations(PackSchema.reference(), JSON.readTree(Files.readString(dir.resolve(Exporter.V4_JSON)))))
                .as("the published schema knows none of couple_conflict_to_alignment's stages").isNotEmpty();
    }
}

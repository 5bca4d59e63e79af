package dev.brun.cli;

import dev.brun.conversation.ReviewStatus;
import dev.brun.store.ConversationFilter;
import dev.brun.store.Database;
import dev.brun.store.StoredConversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ImportCommandTest {
    @TempDir Path tmp;

    @Test
    void importsTheReferenceFileWithItsDefectReportAndSeedFilesUnderThePacksKeys() {
        Path project = TestProject.create(tmp.resolve("p"));
        CliRun sample = TestProject.run(project, "import", "--json", TestProject.SAMPLE_18.toString());
        assertThat(sample.exitCode()).as(sample.err()).isZero();
        JsonNode doc = TestProject.json(sample.out());
        assertThat(doc.get("imported").asInt()).isEqualTo(18);
        JsonNode file = doc.get("files").get(0);
        assertThat(file.get("format").asString()).isEqualTo("v4_json");
        // The sample's known defects: target-less pairs, constant scores, the 42/52 age contradiction.
        assertThat(file.at("/defects/null_target/count").asInt()).isPositive();
        assertThat(file.at("/defects/constant_quality_score/count").asInt()).isPositive();
        assertThat(file.at("/defects/persona_contradiction/count").asInt()).isPositive();
        assertThat(file.at("/defects/persona_contradiction/examples").size()).isPositive();
        // The old platform keyed personas by archetype, and so does the built-in pack: nothing is rekeyed.
        assertThat(file.get("rekeyed").has("persona anxious_planner")).isFalse();

        List<String> args = new ArrayList<>(List.of("import", "--arc", "confusion_to_clarity", "--topic", "negotiating_compensation"));
        TestProject.seedFiles().forEach(f -> args.add(f.toString()));
        CliRun seeds = TestProject.run(project, args.toArray(String[]::new));
        assertThat(seeds.exitCode()).as(seeds.err()).isZero();
        assertThat(seeds.out()).contains("convo-01.json (seed): 1 conversations read, 1 imported, 0 already stored")
                .contains("6 conversations imported, 0 already stored (of 6 read from 6 files)")
                .contains("arc unspecified -> confusion_to_clarity");

        try (Database db = TestProject.open(project)) {
            assertThat(db.conversations().count(ConversationFilter.all())).isEqualTo(24);
            List<StoredConversation> all = new ArrayList<>();
            db.conversations().streamAll(ConversationFilter.all(), all::add);
            assertThat(all).allSatisfy(c -> {
                assertThat(c.conversation().scaffolding().personaKey()).isIn("anxious_planner", "overwhelmed_avoider", "pragmatic_optimist");
                assertThat(c.conversation().unitKey()).isNull();
            });
            assertThat(all).as("both kinds of file carry scores").allSatisfy(c -> assertThat(c.scores()).isPresent());
            List<StoredConversation> seedExamples = all.stream().filter(c -> c.review().seed()).toList();
            assertThat(seedExamples).as("the seed files mark themselves as seed examples").hasSize(6).allSatisfy(c -> {
                assertThat(c.conversation().scaffolding().arcKey()).isEqualTo("confusion_to_clarity");
                assertThat(c.conversation().scaffolding().topicKey()).isEqualTo("negotiating_compensation");
                assertThat(c.review().status()).isEqualTo(ReviewStatus.APPROVED);
                assertThat(c.review().notes()).isNotBlank();
            });
        }
    }

    @Test
    void theDefectReportOfTheSampleListsExactlyWhatAnIndependentCountFinds() {
        // Counted here from the raw JSON, without brun's code.
        JsonNode root = TestProject.json(readString(TestProject.SAMPLE_18));
        Set<String> archetypes = Set.of("anxious_planner", "overwhelmed_avoider", "pragmatic_optimist");
        Map<String, Integer> expected = new TreeMap<>();
        Map<String, Integer> pairIds = new HashMap<>();
        Set<Double> scores = new HashSet<>();
        int pairs = 0;
        for (JsonNode c : root.get("conversations")) {
            String backgroundAge = null;
            Set<String> saidAges = new HashSet<>();
            for (JsonNode p : c.get("training_pairs")) {
                pairs++;
                pairIds.merge(p.get("id").asString(), 1, Integer::sum);
                JsonNode target = p.get("target_response");
                if (target.isNull() || target.asString().isBlank()) expected.merge("null_target", 1, Integer::sum);
                JsonNode history = p.get("conversation_history");
                if (!history.isEmpty() && history.get(history.size() - 1).get("content").asString().equals(p.get("current_user_input").asString()))
                    expected.merge("duplicated_history_turn", 1, Integer::sum);
                JsonNode tm = p.get("training_metadata");
                scores.add(tm.get("quality_score").doubleValue());
                if (tm.get("key_learning_objective").asString().equals(p.at("/conversation_metadata/training_topic_key").asString()))
                    expected.merge("learning_objective_is_topic_key", 1, Integer::sum);
                boolean onlyPersonas = !tm.get("demonstrates_skills").isEmpty();
                for (JsonNode skill : tm.get("demonstrates_skills")) onlyPersonas &= archetypes.contains(skill.asString());
                if (onlyPersonas) expected.merge("skills_are_persona_keys", 1, Integer::sum);
                Matcher age = Pattern.compile("^Age (\\d+)").matcher(p.at("/conversation_metadata/client_background").asString());
                if (age.find()) backgroundAge = age.group(1);
                Matcher said = Pattern.compile("I'm (\\d\\d)[ ,]").matcher(p.get("current_user_input").asString());
                while (said.find()) saidAges.add(said.group(1));
            }
            String bg = backgroundAge;
            if (saidAges.stream().anyMatch(a -> !a.equals(bg))) expected.merge("persona_contradiction", 1, Integer::sum);
            // The file keys personas by archetype, and so does the built-in pack.
            if (!archetypes.contains(c.at("/conversation_metadata/scaffolding/persona_key").asString()))
                expected.merge("unknown_persona", 1, Integer::sum);
        }
        int duplicated = pairIds.values().stream().filter(n -> n > 1).mapToInt(Integer::intValue).sum();
        if (duplicated > 0) expected.put("duplicate_pair_id", duplicated);
        if (scores.size() == 1) expected.put("constant_quality_score", pairs);
        Path project = TestProject.create(tmp.resolve("p"));

        CliRun run = TestProject.run(project, "import", "--json", TestProject.SAMPLE_18.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode defects = TestProject.json(run.out()).at("/files/0/defects");
        Map<String, Integer> reported = new TreeMap<>();
        for (var e : defects.properties()) reported.put(e.getKey(), e.getValue().get("count").asInt());
        // Schema violations are the only kind not counted here: they are checked against the schema in DefectReportTest.
        reported.remove("schema_violation");
        assertThat(reported).isEqualTo(expected);
        assertThat(expected).containsEntry("null_target", 66).containsEntry("persona_contradiction", 3).doesNotContainKey("unknown_persona")
                .doesNotContainKey("truncated_reply");
        assertThat(defects.at("/persona_contradiction/examples").toString()).contains("background says age 42, the user says \\\"I'm 52\\\"");

        CliRun human = TestProject.run(TestProject.create(tmp.resolve("q")), "import", TestProject.SAMPLE_18.toString());
        assertThat(human.out()).contains("66 pairs with a null or empty target_response")
                .contains("3 conversations where the user states an age other than the client background's");
        assertThat(human.out().lines()).as("examples are cut short in the table").allMatch(l -> l.length() < 1_200);
    }

    @Test
    void everyKindOfBrokenFileIsRefusedWithFileAndPlaceAndNothingIsStored() throws IOException {
        Path project = TestProject.create(tmp.resolve("p"));
        assertThat(TestProject.run(project, "import", TestProject.seedFiles().getFirst().toString()).exitCode()).isZero();
        Map<String, Long> before = TestProject.rowCounts(project);
        String sample = readString(TestProject.SAMPLE_18);
        byte[] seed = Files.readAllBytes(TestProject.seedFiles().get(2));
        byte[] latin = seed.clone();
        int at = new String(seed, StandardCharsets.UTF_8).indexOf("\"content\"") + 12;
        latin[at] = (byte) 0xE9; // an ISO-8859-1 é: not UTF-8
        long latinLine = new String(seed, 0, at, StandardCharsets.UTF_8).lines().count();
        Path huge = tmp.resolve("huge.json");
        try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) { file.setLength(1L << 30); } // sparse: no gigabyte written

        Map<Path, List<String>> broken = new LinkedHashMap<>();
        broken.put(Files.writeString(tmp.resolve("truncated.json"), sample.substring(0, sample.length() / 3)), List.of("truncated JSON", "line "));
        broken.put(Files.writeString(tmp.resolve("v3.json"), sample.replaceFirst("\"brightrun-lora-v4\"", "\"brightrun-lora-v3\"")),
                List.of("$.training_file_metadata.format_spec", "expected 'brightrun-lora-v4'"));
        broken.put(Files.writeString(tmp.resolve("types.json"), sample.replaceFirst("\"turn_number\": 1,", "\"turn_number\": \"one\",")),
                List.of("$.conversations[0].training_pairs[0].turn_number", "expected an integer, found a string"));
        broken.put(Files.write(tmp.resolve("latin.json"), latin), List.of("not UTF-8", "line " + latinLine + ",", "0xE9"));
        broken.put(Files.writeString(tmp.resolve("dupes.json"), sample.replace("9c6c47cc-527e-4f41-b055-15e44ccc236b", "24af15f9-2f9f-451a-8dac-323529d07163")),
                List.of("duplicate conversation id 24af15f9-2f9f-451a-8dac-323529d07163", "$.conversations["));
        broken.put(huge, List.of("1024.0 MB", "over the import limit of 512.0 MB", "--max-size"));

        for (var e : broken.entrySet()) {
            long start = System.nanoTime();
            // A good file comes first: it must not be stored either.
            CliRun run = TestProject.run(project, "import", TestProject.seedFiles().get(1).toString(), e.getKey().toString());

            assertThat(run.exitCode()).as(e.getKey() + ": " + run.err()).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).as(e.getKey().toString()).startsWith("error: ").contains(e.getKey().toString())
                    .contains("nothing was imported");
            for (String part : e.getValue()) assertThat(run.err()).as(e.getKey().toString()).contains(part);
            assertThat(TestProject.rowCounts(project)).as(e.getKey().toString()).isEqualTo(before);
            assertThat((System.nanoTime() - start) / 1_000_000).as("refused without reading it all").isLessThan(5_000);
        }
        // The same duplicate across two files.
        Path copy = Files.copy(TestProject.seedFiles().get(3), tmp.resolve("copy.json"));
        CliRun twice = TestProject.run(project, "import", TestProject.seedFiles().get(3).toString(), copy.toString());
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("conversation fp_marcus_005").contains("duplicate conversation id").contains("copy.json")
                .contains(TestProject.seedFiles().get(3).toAbsolutePath().normalize().toString());
        assertThat(TestProject.rowCounts(project)).isEqualTo(before);
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void importingTheSameFilesAgainAddsNothing() {
        Path project = TestProject.create(tmp.resolve("p"));
        assertThat(TestProject.importReference(project).exitCode()).isZero();
        Map<String, Long> before = TestProject.rowCounts(project);

        CliRun again = TestProject.importReference(project);

        assertThat(again.exitCode()).as(again.err()).isZero();
        JsonNode doc = TestProject.json(again.out());
        assertThat(doc.get("imported").asInt()).isZero();
        assertThat(doc.get("already_stored").asInt()).isEqualTo(6);
        assertThat(TestProject.rowCounts(project)).isEqualTo(before);
    }

    @Test
    void aTruncatedFileRejectsTheWholeImportAndLeavesTheDatabaseAsItWas() throws IOException {
        Path project = TestProject.create(tmp.resolve("p"));
        assertThat(TestProject.run(project, "import", TestProject.seedFiles().getFirst().toString()).exitCode()).isZero();
        byte[] whole = Files.readAllBytes(TestProject.SAMPLE_18);
        Path truncated = Files.write(tmp.resolve("truncated.json"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Map<String, Long> before = TestProject.rowCounts(project);

        // A good file first: it must not be stored either.
        CliRun run = TestProject.run(project, "import", TestProject.seedFiles().get(1).toString(), truncated.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("truncated.json").contains("truncated JSON").contains("nothing was imported");
        assertThat(TestProject.rowCounts(project)).isEqualTo(before);
        assertThat(before.get("conversations")).isEqualTo(1);
    }

    @Test
    void seedFlagStoresApprovedSeedExamples() {
        Path project = TestProject.create(tmp.resolve("p"));
        List<String> args = new ArrayList<>(List.of("import", "--as-seeds", "--persona", "overwhelmed_avoider", "--arc", "shame_to_acceptance",
                "--topic", "student_loan_payoff"));
        TestProject.seedFiles().forEach(f -> args.add(f.toString()));
        CliRun run = TestProject.run(project, args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (Database db = TestProject.open(project)) {
            assertThat(db.reviews().approvedSeeds("overwhelmed_avoider", "shame_to_acceptance")).hasSize(6);
            String id = db.reviews().approvedSeeds(null, null).getFirst();
            StoredConversation c = db.conversations().find(id).orElseThrow();
            assertThat(c.review().status()).isEqualTo(ReviewStatus.APPROVED);
            assertThat(c.review().seed()).isTrue();
            assertThat(c.conversation().scaffolding().topicKey()).isEqualTo("student_loan_payoff");
        }
    }

    @Test
    void keysTheUserGivesMustExistInThePack() {
        Path project = TestProject.create(tmp.resolve("p"));
        CliRun run = TestProject.run(project, "import", "--arc", "no_such_arc", TestProject.seedFiles().getFirst().toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--arc no_such_arc is not defined in pack financial-planning").contains("confusion_to_clarity");
        assertThat(TestProject.rowCounts(project).get("conversations")).isZero();
    }

    @Test
    void filesOverTheSizeLimitAreRefusedWithTheLimitNamed() {
        Path project = TestProject.create(tmp.resolve("p"));
        CliRun run = TestProject.run(project, "import", "--max-size", "1KB", TestProject.SAMPLE_18.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("over the import limit of 1024 bytes").contains("--max-size");
        assertThat(TestProject.rowCounts(project).get("conversations")).isZero();
    }

    @Test
    void sizesAcceptBinaryUnits() {
        assertThat(ImportCommand.parseSize("512MB")).isEqualTo(512L * 1024 * 1024);
        assertThat(ImportCommand.parseSize("2g")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(ImportCommand.parseSize("1000")).isEqualTo(1000);
        CliRun bad = CliRun.of("import", "--max-size", "lots", "x.json", "--project", tmp.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--max-size lots");
    }
}

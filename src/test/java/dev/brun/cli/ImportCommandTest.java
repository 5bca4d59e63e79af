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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        // The old platform keyed personas by archetype; the pack's personas carry those archetypes.
        assertThat(file.get("rekeyed").get("persona anxious_planner").asString()).isEqualTo("jennifer_martinez");

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
                assertThat(c.conversation().scaffolding().personaKey()).isIn("jennifer_martinez", "marcus_chen", "david_chen");
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
        List<String> args = new ArrayList<>(List.of("import", "--seed", "--persona", "marcus_chen", "--arc", "shame_to_acceptance",
                "--topic", "student_loan_payoff"));
        TestProject.seedFiles().forEach(f -> args.add(f.toString()));
        CliRun run = TestProject.run(project, args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (Database db = TestProject.open(project)) {
            assertThat(db.reviews().approvedSeeds("marcus_chen", "shame_to_acceptance")).hasSize(6);
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

package dev.brun.cli;

import dev.brun.pack.PackFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PackCommandTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    @Test
    void validateReportsEveryProblemExitsTwoAndWritesNothing() throws IOException {
        PackFixture f = PackFixture.copyOfDefault(tmp)
                .edit("consultant.yaml", "credentials: CFP", "credential: CFP")
                .edit("personas/anxious_planner.yaml", "age: 42", "age: forty-two")
                .edit("rules.yaml", "exclude: []", "exclude:\n  - {persona: overwhelmed_avoidr, reason: typo}\n");
        Map<String, String> before = snapshot(tmp);

        CliRun run = CliRun.of("pack", "validate", f.dir().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("consultant.yaml:3:1: credential: unknown key 'credential'; did you mean 'credentials'?")
                .contains("personas/anxious_planner.yaml:4:6: age: expected a whole number, got 'forty-two'")
                .contains("rules.yaml:")
                .contains("exclude[1].persona: names persona 'overwhelmed_avoidr'")
                .contains("3 problems in pack folder");
        assertThat(run.err().lines().findFirst().orElseThrow())
                .as("problem paths lead to the file from the current directory")
                .startsWith(f.dir().resolve("consultant.yaml").toString() + ":3:1:");
        assertThat(snapshot(tmp)).isEqualTo(before);
    }

    @Test
    void validateJsonListsProblemsOnStdoutOnly() {
        PackFixture f = PackFixture.copyOfDefault(tmp).edit("personas/pragmatic_optimist.yaml", "age: 34", "age: 340");
        CliRun run = CliRun.of("pack", "validate", "--json", f.dir().toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEmpty();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("valid").asBoolean()).isFalse();
        assertThat(doc.get("problems")).hasSize(1);
        JsonNode p = doc.get("problems").get(0);
        assertThat(p.get("file").asString()).isEqualTo("personas/pragmatic_optimist.yaml");
        assertThat(p.get("field").asString()).isEqualTo("age");
        assertThat(p.get("line").asInt()).isEqualTo(f.position("personas/pragmatic_optimist.yaml", "340").line());
    }

    @Test
    void validateOkPrintsTheCounts() {
        CliRun run = CliRun.of("pack", "validate", "financial-planning");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("ok: 3 personas, 5 arcs, 20 topics, 300 combinations (0 excluded)");
    }

    @Test
    void validateWithoutArgumentUsesTheProjectPack() throws IOException {
        PackFixture.copyOfDefault(tmp);
        Files.writeString(tmp.resolve("brun.yaml"), "provider: simulated\n");
        CliRun run = CliRun.of("pack", "validate", "--project", tmp.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("ok: 3 personas");
    }

    @Test
    void validateWithoutArgumentOutsideAProjectSaysWhatToPass() {
        CliRun run = CliRun.of("pack", "validate", "--project", tmp.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is not a brun project").contains("pass a pack folder or a built-in pack name");
    }

    @Test
    void showPrintsConsultantAndTables() {
        CliRun run = CliRun.of("pack", "show", "financial-planning");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Elena Morales, CFP, Pathways Financial Planning")
                .contains("Principles").contains("overwhelmed_avoider").contains("grief_to_healing")
                .contains("tax_loss_harvesting").contains("3 x 5 x 20 = 300 combinations")
                .contains("claude-haiku-4-5");
    }

    @Test
    void showJsonIsOneDocumentWithThePack() {
        CliRun run = CliRun.of("pack", "show", "--json", "financial-planning");
        assertThat(run.exitCode()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("name").asString()).isEqualTo("financial-planning");
        assertThat(doc.get("hash").asString()).hasSize(64);
        assertThat(doc.get("personas")).hasSize(3);
        assertThat(doc.get("arcs")).hasSize(5);
        assertThat(doc.get("topics")).hasSize(20);
        assertThat(doc.get("summary").get("combinations").asInt()).isEqualTo(300);
        assertThat(doc.get("rules").get("phase_defaults").get("expansion").get("variations").asInt()).isEqualTo(5);
    }

    @Test
    void showOfAnInvalidPackExitsTwoWithEveryProblem() {
        PackFixture f = PackFixture.copyOfDefault(tmp).edit("personas/pragmatic_optimist.yaml", "age: 34", "age: 340")
                .edit("personas/overwhelmed_avoider.yaml", "age: 37", "age: 3");
        CliRun run = CliRun.of("pack", "show", f.dir().toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("has 2 problems").contains("personas/pragmatic_optimist.yaml").contains("personas/overwhelmed_avoider.yaml");
    }

    @Test
    void listShowsTheBuiltinPack() {
        CliRun run = CliRun.of("pack", "list");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("financial-planning").contains("Elena Morales");
        JsonNode doc = JSON.readTree(CliRun.of("pack", "list", "--json").out());
        assertThat(doc.get("packs").get(0).get("name").asString()).isEqualTo("financial-planning");
        assertThat(doc.get("packs").get(0).get("description").asString()).isNotBlank();
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : new String[]{"validate", "show", "list"}) {
            CliRun run = CliRun.of("pack", sub, "--help");
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Usage: brun pack " + sub);
        }
        assertThat(CliRun.of("pack").out()).contains("validate").contains("show").contains("list");
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                files.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
            }
        }
        return files;
    }
}

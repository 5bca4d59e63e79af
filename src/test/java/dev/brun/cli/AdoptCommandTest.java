package dev.brun.cli;

import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
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

import static org.assertj.core.api.Assertions.assertThat;

/** brun import --adopt and brun pack adopt add the arcs and topics imported data uses to the project's pack. */
class AdoptCommandTest {
    @TempDir Path tmp;

    private Path project() {
        Path project = tmp.resolve("p");
        var pack = PackCopier.copy("financial-planning", project.resolve("pack"));
        ProjectConfigWriter.write(project, ProjectConfig.defaults(pack));
        return project;
    }

    /** The reference v4 file with one arc and one topic the built-in pack does not define (as the platform's real files had). */
    private Path foreignFile() throws IOException {
        String text = Files.readString(TestProject.SAMPLE_18, StandardCharsets.UTF_8)
                .replace("\"confusion_to_clarity\"", "\"overwhelm_to_empowerment\"").replace("Confusion → Clarity", "Overwhelm → Empowerment")
                .replace("\"long_term_care\"", "\"elder_care_costs\"").replace("Long-Term Care Planning", "Paying for Elder Care");
        return Files.writeString(tmp.resolve("foreign.json"), text, StandardCharsets.UTF_8);
    }

    @Test
    void importAdoptAddsTheMissingArcAndTopicWithTheFilesNamesAndRecordedStagesAndThePackStaysValid() throws IOException {
        Path project = project();
        String topicsBefore = Files.readString(project.resolve("pack/topics.yaml"));

        CliRun run = TestProject.run(project, "import", "--adopt", "--json", foreignFile().toString());

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        JsonNode doc = TestProject.json(run.out());
        assertThat(doc.get("imported").asInt()).isEqualTo(18);
        assertThat(doc.at("/adopted/arcs/0/key").asString()).isEqualTo("overwhelm_to_empowerment");
        assertThat(doc.at("/adopted/topics/0/key").asString()).isEqualTo("elder_care_costs");

        Pack pack = PackLoader.load(project.resolve("pack"));
        var arc = pack.arc("overwhelm_to_empowerment").orElseThrow();
        assertThat(arc.name()).isEqualTo("Overwhelm → Empowerment");
        assertThat(arc.stages()).extracting(s -> s.key()).contains("initial_opportunity_exploration");
        assertThat(arc.minExchanges()).isPositive();
        var topic = pack.topic("elder_care_costs").orElseThrow();
        assertThat(topic.name()).isEqualTo("Paying for Elder Care");
        assertThat(topic.keyTerms()).isNotEmpty();
        // The user's topics.yaml is kept as written; the adopted topic is appended.
        assertThat(Files.readString(project.resolve("pack/topics.yaml"))).startsWith(topicsBefore);
        assertThat(TestProject.run(project, "pack", "validate").exitCode()).isZero();
        // The plan counts the adopted arc and topic: 3 personas x 6 arcs x 21 topics.
        assertThat(pack.arcs()).hasSize(6);
        assertThat(pack.topics()).hasSize(21);

        // Adopting again adds nothing.
        CliRun again = TestProject.run(project, "pack", "adopt");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("nothing was added");
    }

    @Test
    void packAdoptWorksFromConversationsAlreadyImportedAndIgnoresTheSeedFilesPlaceholderKeys() throws IOException {
        Path project = project();
        CliRun imported = TestProject.run(project, "import", foreignFile().toString(), TestProject.seedFiles().getFirst().toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(PackLoader.load(project.resolve("pack")).arc("overwhelm_to_empowerment")).isEmpty();

        CliRun adopt = TestProject.run(project, "pack", "adopt");

        assertThat(adopt.exitCode()).as(adopt.err()).isZero();
        assertThat(adopt.out()).contains("adopted arc overwhelm_to_empowerment (Overwhelm → Empowerment)")
                .contains("adopted topic elder_care_costs (Paying for Elder Care)").doesNotContain("unspecified");
        Pack pack = PackLoader.load(project.resolve("pack"));
        assertThat(pack.arc("overwhelm_to_empowerment")).isPresent();
        assertThat(pack.arc("unspecified")).isEmpty();
        assertThat(pack.topic("unspecified")).isEmpty();
    }
}

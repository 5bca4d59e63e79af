package dev.brun.cli;

import dev.brun.store.ConversationFilter;
import dev.brun.store.Database;
import dev.brun.store.StoredConversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What a user does after generating: the checks already ran, report shows the run, export needs --allow-simulated. */
class GeneratedDataFlowTest {
    @TempDir Path tmp;

    private static CliRun ok(Path project, String... args) {
        CliRun run = TestProject.run(project, args);
        assertThat(run.exitCode()).as("brun %s%nstderr: %s", String.join(" ", args), run.err()).isZero();
        return run;
    }

    @Test
    void generatedConversationsAreCheckedAsTheyArriveReportedWithTheirCostAndExportedOnlyWhenSimulatedDataIsAllowed() throws Exception {
        Path project = tmp.resolve("p");
        assertThat(CliRun.of("init", project.toString()).exitCode()).isZero();
        ok(project, "plan");
        ok(project, "generate", "--limit", "12");

        // generate ran the per-conversation checks and heuristic scores itself.
        try (Database db = TestProject.open(project)) {
            List<StoredConversation> all = new ArrayList<>();
            db.conversations().streamAll(ConversationFilter.all(), all::add);
            assertThat(all).hasSize(12).allSatisfy(c -> assertThat(c.scores().orElseThrow().method()).isEqualTo("heuristic"));
        }
        JsonNode check = TestProject.json(ok(project, "check", "--json").out());
        assertThat(check.get("checked").asInt()).as("nothing left unchecked").isZero();
        assertThat(check.get("conversations").asInt()).isEqualTo(12);

        JsonNode report = TestProject.json(ok(project, "report", "--json").out());
        JsonNode status = TestProject.json(ok(project, "status", "--json").out());
        assertThat(report.get("total_cost_usd").asDouble()).isPositive().isCloseTo(status.get("spend_usd").asDouble(), within(1e-9));
        int usable = report.get("usable").asInt();
        assertThat(usable).isEqualTo(check.get("usable").asInt()).isEqualTo(status.get("usable_conversations").asInt());
        if (usable > 0)
            assertThat(report.get("cost_per_usable_usd").asDouble()).isCloseTo(report.get("total_cost_usd").asDouble() / usable, within(1e-9));
        assertThat(report.at("/cache/hit_rate").asDouble()).isCloseTo(status.get("cache_hit_rate").asDouble(), within(1e-9));
        assertThat(report.at("/cache/saved_usd").asDouble()).isCloseTo(status.get("cache_savings_usd").asDouble(), within(1e-9));

        Path refused = tmp.resolve("refused");
        CliRun run = TestProject.run(project, "export", "--out", refused.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("simulated").contains("--allow-simulated");
        assertThat(refused).doesNotExist();

        Path out = tmp.resolve("out");
        JsonNode export = TestProject.json(ok(project, "export", "--allow-simulated", "--only", "all", "--out", out.toString(), "--json").out());
        assertThat(export.get("conversations").asInt() + export.get("excluded_count").asInt()).isEqualTo(12);
        JsonNode manifest = TestProject.json(Files.readString(out.resolve("manifest.json")));
        assertThat(manifest.at("/settings/allow_simulated").asBoolean()).isTrue();
        assertThat(manifest.get("total_cost_usd").asDouble()).isCloseTo(status.get("spend_usd").asDouble(), within(1e-9));
        assertThat(Files.readString(out.resolve("hf/README.md"))).contains("Exported with `--allow-simulated`")
                .contains("seed: provider simulated, model claude-sonnet-4-5");
        for (String file : List.of("openai-train.jsonl", "openai-validation.jsonl"))
            if (Files.exists(out.resolve(file)))
                for (String line : Files.readAllLines(out.resolve(file)))
                    assertThat(dev.brun.export.OpenAiChatCheck.problems(TestProject.json(line), 16_384)).as(file).isEmpty();
    }
}

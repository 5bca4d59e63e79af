package dev.brun.cli;

import dev.brun.plan.TargetPlanner;
import dev.brun.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PlanTargetTest {
    @Test
    void target1500MeetsEveryMinimumAndCheapestCostsLessThanStrong(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("p");
        assertThat(CliRun.of("init", dir.toString()).exitCode()).isZero();
        CliRun run = TestProject.run(dir, "plan", "--target", "1500", "--dry-run", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = TestProject.json(run.out());

        assertThat(doc.get("meets_minimums").asBoolean()).isTrue();
        assertThat(doc.get("coverage")).hasSize(3 + 5 + 20);
        for (JsonNode row : doc.get("coverage"))
            assertThat(row.get("expected_usable").asLong()).as(row.toString()).isGreaterThanOrEqualTo(row.get("minimum").asLong());
        assertThat(doc.at("/units/seed").asInt()).isEqualTo(300);
        long units = doc.at("/units/seed").asLong() + doc.at("/units/expansion").asLong() + doc.at("/units/edge").asLong();
        assertThat(units).isEqualTo(doc.get("conversations_needed").asLong());
        assertThat(Math.floor(units * doc.at("/usable_share/value").asDouble())).isGreaterThanOrEqualTo(1500);

        JsonNode cheapest = doc.get("strategies").get(0), strong = doc.get("strategies").get(1);
        assertThat(cheapest.get("strategy").asString()).isEqualTo("cheapest");
        assertThat(strong.get("strategy").asString()).isEqualTo("strong");
        assertThat(cheapest.at("/models/expansion").asString()).isEqualTo("claude-haiku-4-5");
        assertThat(strong.at("/models/expansion").asString()).isEqualTo("claude-sonnet-4-5");
        for (String way : new String[]{"cost_plain", "cost_cached", "cost_batch", "cost_cached_batch"})
            assertThat(cheapest.at("/estimate/totals/" + way).asDouble()).as(way)
                    .isLessThan(strong.at("/estimate/totals/" + way).asDouble());
        assertThat(cheapest.get("expected_usd").asDouble()).isLessThan(strong.get("expected_usd").asDouble());
        assertThat(cheapest.get("review_hours").asDouble()).isPositive();
        // the default $25 cap cannot hold the expansion batch's worst case
        assertThat(doc.at("/budget/stops_at_phase").asString()).isEqualTo("expansion");
        assertThat(doc.get("added").asInt()).isZero();
        try (Database db = TestProject.open(dir)) {
            assertThat(db.units().pending(null)).isEmpty();
            assertThat(db.meta().get(TargetPlanner.TARGET_KEY)).isEmpty();
        }
    }

    @Test
    void targetAddsTheSeedsRecordsTheTargetAndWarnsAboutTheBudget(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("p");
        assertThat(CliRun.of("init", dir.toString()).exitCode()).isZero();
        CliRun run = TestProject.run(dir, "plan", "--target", "1500");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("WARNING: budget_usd in brun.yaml $25.00").contains("expansion step")
                .contains("expand --per-combination auto").contains("generate --phase edge --batch");
        assertThat(run.out().indexOf("generate --phase seed")).isLessThan(run.out().indexOf("expand --per-combination auto"));
        assertThat(run.out().indexOf("fill")).isLessThan(run.out().indexOf("generate --phase edge"));
        try (Database db = TestProject.open(dir)) {
            assertThat(db.units().pending("seed")).hasSize(300);
            assertThat(db.meta().get(TargetPlanner.TARGET_KEY)).contains("1500");
            assertThat(db.meta().get(TargetPlanner.EXPANSION_UNITS_KEY)).contains("1200");
        }
        JsonNode fill = TestProject.json(TestProject.run(dir, "fill", "--dry-run", "--json").out());
        assertThat(fill.get("target").asInt()).isEqualTo(1500);
        assertThat(fill.get("for_target").asInt()).isPositive();
        assertThat(Math.floor((fill.get("units").asInt() + 300) * TargetPlanner.DEFAULT_USABLE_SHARE)).isGreaterThanOrEqualTo(1500);

        CliRun strong = TestProject.run(dir, "plan", "--target", "1500", "--strategy", "strong", "--budget", "90");
        assertThat(strong.exitCode()).as(strong.err()).isZero();
        assertThat(strong.out()).contains("covers the plan").doesNotContain("WARNING");
        String yaml = Files.readString(dir.resolve("brun.yaml"));
        assertThat(yaml).contains("budget_usd: 90");
        assertThat(yaml.substring(yaml.indexOf("expansion:"))).as(yaml).contains("claude-sonnet-4-5");
        assertThat(TestProject.run(dir, "plan", "--target", "10", "--phase", "edge").exitCode()).isEqualTo(2);
        assertThat(TestProject.run(dir, "plan", "--target", "10", "--strategy", "fastest").err()).contains("cheapest");
    }
}

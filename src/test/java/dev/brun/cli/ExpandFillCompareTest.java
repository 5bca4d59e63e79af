package dev.brun.cli;

import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Severity;
import dev.brun.project.Project;
import dev.brun.store.ConversationFilter;
import dev.brun.store.StoredConversation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** brun expand, brun fill and brun estimate --compare on a small generated project (simulated provider). */
class ExpandFillCompareTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path dir;
    private String project;
    private List<StoredConversation> seeds;

    @BeforeEach
    void generateTwentySeeds() {
        project = dir.resolve("p").toString();
        assertThat(CliRun.of("init", project, "--pack", "financial-planning").exitCode()).isZero();
        assertThat(brun("plan", "--only", "persona=pragmatic_optimist,arc=grief_to_healing").exitCode()).isZero();
        assertThat(brun("generate", "--provider", "simulated").exitCode()).isZero();
        try (Project p = Project.open(Path.of(project))) {
            seeds = new ArrayList<>();
            p.db().conversations().streamAll(ConversationFilter.all(), seeds::add);
        }
        assertThat(seeds).hasSize(20);
    }

    private CliRun brun(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--project", project));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static JsonNode json(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private void approveAsSeeds(int n) {
        try (Project p = Project.open(Path.of(project))) {
            for (StoredConversation c : seeds.subList(0, n)) {
                p.db().reviews().setStatus(c.conversation().id(), ReviewStatus.APPROVED, "test");
                p.db().reviews().toggleSeed(c.conversation().id(), "test");
            }
        }
    }

    @Test
    void expandSaysWhyImportedSeedsWithoutArcOrTopicPlanNothing() {
        CliRun imported = brun("import", "--as-seeds", TestProject.REFERENCE.resolve("seed-conversations/convo-01.json").toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();

        CliRun expand = brun("expand", "--per-combination", "2");
        assertThat(expand.exitCode()).isEqualTo(2);
        assertThat(expand.err()).contains("none of the 1 approved seed conversation(s) belongs to a persona x arc x topic combination")
                .contains("--persona/--arc/--topic").contains("brun serve");
        assertThat(brun("status", "--json").out()).doesNotContain("\"expansion\"");
    }

    @Test
    void expandPlansVariationsOfSeededCombinationsWithEnoughExamplesForHaikuToCache() {
        approveAsSeeds(4);

        JsonNode dry = json(brun("expand", "--per-combination", "3", "--model", "claude-haiku-4-5", "--dry-run", "--json"));
        assertThat(dry.path("combinations").asInt()).isEqualTo(4);
        assertThat(dry.path("units_in_plan").asInt()).isEqualTo(12);
        assertThat(dry.path("added").asInt()).isZero();
        assertThat(dry.path("cache_applies").asBoolean()).isTrue();
        assertThat(dry.path("smallest_prefix_tokens").asLong()).isGreaterThanOrEqualTo(4096);
        assertThat(dry.path("examples_per_prompt").asInt()).isBetween(1, 4);

        CliRun added = brun("expand", "--per-combination", "3", "--model", "claude-haiku-4-5");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("12 added").contains("caching applies");
        CliRun estimate = brun("estimate", "--phase", "expansion");
        assertThat(estimate.out()).contains("expansion").contains("claude-haiku-4-5").contains("cached prefix").doesNotContain("will not apply");

        JsonNode again = json(brun("expand", "--per-combination", "3", "--json"));
        assertThat(again.path("added").asInt()).isZero();
    }

    @Test
    void expandSaysCachingWillNotApplyWhenThePrefixIsTooShortForHaiku() {
        approveAsSeeds(1);

        CliRun run = brun("expand", "--per-combination", "2", "--examples", "0", "--model", "claude-haiku-4-5");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("below the 4096-token minimum for claude-haiku-4-5: caching will not apply");
        CliRun estimate = brun("estimate", "--phase", "expansion");
        assertThat(estimate.out()).contains("< 4096 minimum for claude-haiku-4-5: caching will not apply");
    }

    @Test
    void expandWithoutApprovedSeedsTellsWhatToDo() {
        CliRun run = brun("expand");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no approved seed conversations").contains("--all");
    }

    @Test
    void fillCountsOnlyUsableConversationsAndEstimatesBeforeAddingAnything() {
        try (Project p = Project.open(Path.of(project))) {
            p.db().reviews().setStatus(seeds.get(0).conversation().id(), ReviewStatus.REJECTED, "test");
            p.db().quality().replaceFlags(seeds.get(1).conversation().id(),
                    List.of(QualityFlag.of("persona_mismatch", Severity.ERROR, "planted for the test", 0)));
            p.db().quality().replaceFlags(seeds.get(2).conversation().id(),
                    List.of(QualityFlag.of("length_outlier", Severity.WARNING, "a warning does not make it unusable", null)));
        }

        JsonNode dry = json(brun("fill", "--dry-run", "--json"));
        JsonNode david = need(dry, "persona", "pragmatic_optimist");
        assertThat(david.path("usable").asLong()).isEqualTo(18);
        assertThat(david.path("lacking").asLong()).isEqualTo(100 - 18);
        assertThat(need(dry, "arc", "grief_to_healing").path("lacking").asLong()).isEqualTo(60 - 18);
        // every topic needs 30 and has at most one usable conversation: topics decide the size of the fill
        long topicShortfall = 0;
        for (JsonNode n : dry.path("needs")) if (n.path("dimension").asString().equals("topic")) topicShortfall += n.path("lacking").asLong();
        assertThat(dry.path("units").asLong()).isEqualTo(topicShortfall);
        assertThat(dry.path("added").asInt()).isZero();
        assertThat(dry.path("estimate").path("totals").path("units").asLong()).isEqualTo(topicShortfall);
        assertThat(dry.path("estimate").path("totals").path("cost_cached_batch").asDouble()).isPositive();
        try (Project p = Project.open(Path.of(project))) {
            assertThat(p.db().units().pending("edge")).isEmpty();
        }

        JsonNode added = json(brun("fill", "--json"));
        assertThat(added.path("added").asLong()).isEqualTo(topicShortfall);
        JsonNode after = json(brun("fill", "--dry-run", "--json"));
        assertThat(after.path("units").asLong()).isZero();
        CliRun text = brun("fill");
        assertThat(text.out()).contains("nothing to fill");
    }

    private static JsonNode need(JsonNode fill, String dimension, String key) {
        for (JsonNode n : fill.path("needs"))
            if (n.path("dimension").asString().equals(dimension) && n.path("key").asString().equals(key)) return n;
        throw new AssertionError("no need for " + dimension + " " + key + " in " + fill);
    }

    @Test
    void estimateCompareShowsTheEstimateOfWhatRanNextToTheLedger() {
        JsonNode rows = json(brun("estimate", "--compare", "--json")).path("comparison");
        assertThat(rows).hasSize(1);
        JsonNode seed = rows.get(0);
        assertThat(seed.path("phase").asString()).isEqualTo("seed");
        assertThat(seed.path("units").asInt()).isEqualTo(20);
        assertThat(seed.path("batch_share").asDouble()).isZero();
        double actual = seed.path("actual_usd").asDouble();
        try (Project p = Project.open(Path.of(project))) {
            assertThat(actual).isEqualTo(p.db().ledger().totalSpend());
        }
        assertThat(Math.abs(seed.path("difference_percent").asDouble())).isLessThan(15);
        CliRun text = brun("estimate", "--compare");
        assertThat(text.out()).contains("estimated $").contains("actual $").contains("total");
    }

    @Test
    void estimateCompareBeforeAnyRunSaysSo() {
        String other = dir.resolve("empty").toString();
        assertThat(CliRun.of("init", other, "--pack", "financial-planning").exitCode()).isZero();
        CliRun run = CliRun.of("estimate", "--compare", "--project", other);
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Nothing generated yet");
    }
}

package dev.brun.cli;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.FakeProviderServer.BatchOutcome;
import dev.brun.llm.sim.FakeProviderServer.BatchScript;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.plan.PriceTable;
import dev.brun.llm.Usage;
import dev.brun.project.Project;
import dev.brun.store.ConversationFilter;
import dev.brun.store.LedgerEntry;
import dev.brun.store.UnitRecord;
import dev.brun.store.UnitState;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * generate --batch and brun batches through the CLI, against the simulated provider's Message Batches
 * endpoints reached as provider "anthropic" (so that batches outlive one command, as real ones do), with
 * polling compressed to milliseconds.
 */
class BatchCommandsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SLICE = "persona=pragmatic_optimist,arc=grief_to_healing";

    @TempDir Path dir;
    private AnthropicTestProject fixture;
    private SimulatedProvider sim;
    private String project;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new AnthropicTestProject(dir, SLICE);
        sim = fixture.sim();
        project = fixture.dir();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private CliRun brun(String... args) { return fixture.brun(args); }

    private static JsonNode json(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private int requestsSubmitted() {
        return sim.server().batchSizes().values().stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void restartResumesPollingWithoutSubmittingTheUnitsAgainAndStoresEachOnceAtHalfPrice() {
        sim.server().batchScript(new BatchScript(3, id -> BatchOutcome.SUCCEEDED));

        JsonNode submitted = json(brun("generate", "--batch", "--no-wait", "--provider", "anthropic", "--json"));
        assertThat(submitted.path("submitted").asInt()).isEqualTo(20);
        assertThat(submitted.path("unfinished_batches").asInt()).isEqualTo(1);
        JsonNode listed = json(brun("batches", "--json")).path("batches");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("status").asString()).isEqualTo("in_progress");
        assertThat(listed.get(0).path("results_fetched").asBoolean()).isFalse();

        // a new process: resumes the stored batch first and finds nothing else to submit
        JsonNode resumed = json(brun("generate", "--batch", "--provider", "anthropic", "--poll-interval", "0.005", "--json"));
        assertThat(resumed.path("submitted").asInt()).isZero();
        assertThat(resumed.path("stored").asInt()).isEqualTo(20);
        assertThat(sim.server().batchSizes()).hasSize(1);
        assertThat(requestsSubmitted()).isEqualTo(20);

        JsonNode again = json(brun("batches", "--poll", "--provider", "anthropic", "--poll-interval", "0.005", "--json"));
        assertThat(again.path("stored").asInt()).isZero();
        assertThat(json(brun("batches", "--json")).path("batches").get(0).path("status").asString()).isEqualTo("ended");

        try (Project p = Project.open(Path.of(project))) {
            assertThat(p.db().conversations().count(ConversationFilter.all())).isEqualTo(20);
            List<LedgerEntry> lines = new ArrayList<>();
            p.db().units().inPhase("seed").forEach(u -> lines.addAll(p.db().ledger().forUnit(u.key())));
            assertThat(lines).hasSize(20).allSatisfy(l -> {
                assertThat(l.batch()).isTrue();
                double list = PriceTable.defaults().cost(l.model(),
                        new Usage(l.inputTokens(), l.outputTokens(), l.cacheReadTokens(), l.cacheWriteTokens(), l.cacheWrite1hTokens()), false);
                assertThat(l.costUsd()).isCloseTo(list / 2, Offset.offset(1e-12));
            });
            // one prefix for the whole seed phase: written by the first request, read by the other 19
            assertThat(lines.stream().filter(l -> l.cacheWriteTokens() > 0)).hasSize(1);
            assertThat(lines.stream().filter(l -> l.cacheReadTokens() > 0)).hasSize(19);
        }
        JsonNode status = json(brun("status", "--json"));
        assertThat(status.path("cache_hit_rate").asDouble()).isGreaterThan(0.3);
        assertThat(status.path("cache_savings_usd").asDouble()).isGreaterThan(0);
    }

    @Test
    void failedRequestsGoBackToPendingAndOnlyTheyAreSubmittedAgain() throws Exception {
        List<String> keys;
        try (Project p = Project.open(Path.of(project))) {
            keys = p.db().units().inPhase("seed").stream().map(UnitRecord::key).sorted().toList();
        }
        BatchOutcome[] kinds = {BatchOutcome.SUCCEEDED, BatchOutcome.ERRORED, BatchOutcome.EXPIRED, BatchOutcome.CANCELED};
        sim.server().batchScript(new BatchScript(1, id -> kinds[keys.indexOf(id) % 4]));

        JsonNode first = json(brun("generate", "--batch", "--provider", "anthropic", "--poll-interval", "0.005", "--json"));
        assertThat(first.path("stored").asInt()).isEqualTo(5);
        assertThat(first.path("returned_to_pending").asInt()).isEqualTo(15);

        sim.server().batchScript(BatchScript.IMMEDIATE);
        JsonNode second = json(brun("generate", "--batch", "--provider", "anthropic", "--poll-interval", "0.005", "--json"));
        assertThat(second.path("submitted").asInt()).isEqualTo(15);
        assertThat(second.path("stored").asInt()).isEqualTo(15);
        assertThat(requestsSubmitted()).isEqualTo(35);
        try (Project p = Project.open(Path.of(project))) {
            assertThat(p.db().units().inPhase("seed")).allSatisfy(u -> assertThat(u.state()).isEqualTo(UnitState.DONE));
            assertThat(p.db().conversations().count(ConversationFilter.all())).isEqualTo(20);
        }
    }

    @Test
    void aUnitGeneratedSynchronouslyWhileItsBatchWasOutIsNotStoredTwice() {
        sim.server().batchScript(new BatchScript(2, id -> BatchOutcome.SUCCEEDED));
        json(brun("generate", "--batch", "--no-wait", "--provider", "anthropic", "--json"));
        // the synchronous engine cannot take units a live batch holds ...
        JsonNode sync = json(brun("generate", "--provider", "anthropic", "--json"));
        assertThat(sync.path("done").asInt()).isZero();
        // ... but a unit that was finished meanwhile by any path is billed once more and stored once
        try (Project p = Project.open(Path.of(project))) {
            UnitRecord unit = p.db().units().inPhase("seed").getFirst();
            p.db().units().markDone(unit.key());
        }
        JsonNode polled = json(brun("batches", "--poll", "--provider", "anthropic", "--poll-interval", "0.005", "--json"));
        assertThat(polled.path("stored").asInt()).isEqualTo(19);
        assertThat(polled.path("duplicates").asInt()).isEqualTo(1);
        try (Project p = Project.open(Path.of(project))) {
            assertThat(p.db().conversations().count(ConversationFilter.all())).isEqualTo(19);
        }
    }

    @Test
    void theSimulatedProviderRunsABatchEndToEndAndListsIt() {
        JsonNode run = json(brun("generate", "--batch", "--provider", "simulated", "--json"));
        assertThat(run.path("stored").asInt()).isEqualTo(20);
        assertThat(run.path("mode").asString()).isEqualTo("batch");
        CliRun listed = brun("batches");
        assertThat(listed.out()).contains("ended").contains("stored").doesNotContain("not finished");
        Set<String> states = json(brun("status", "--json")).path("units").path("seed").propertyNames().stream().collect(Collectors.toSet());
        assertThat(states).containsExactly("done");
    }

    @Test
    void batchesSaysWhatToDoWhenThereAreNone() {
        CliRun run = brun("batches");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("No batches yet").contains("generate --batch");
        assertThat(brun("generate", "--batch", "--provider", "openai").exitCode()).isEqualTo(2);
        assertThat(sim.server().requests(FakeProviderServer.BATCHES)).isEmpty();
    }
}

package dev.brun.cli;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.RecordedRequest;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.plan.PriceTable;
import dev.brun.llm.Usage;
import dev.brun.project.Project;
import dev.brun.store.LedgerEntry;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache lifetime from brun.yaml to the wire and the ledger: generate (one by one and --batch) against the
 * simulated provider reached as "anthropic", so that the request bodies can be read back.
 */
class CacheTtlRunsTest {
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

    private CliRun brun(String... args) {
        CliRun run = fixture.brun(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    private void setCacheTtl(String value) throws IOException {
        Path yaml = Path.of(project, "brun.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("cache_ttl: auto", "cache_ttl: " + value));
    }

    private List<JsonNode> cacheControls(List<RecordedRequest> requests) {
        return requests.stream().map(r -> r.json().path("system").get(0).path("cache_control")).toList();
    }

    private List<LedgerEntry> ledger() {
        try (Project p = Project.open(Path.of(project))) {
            List<LedgerEntry> lines = new ArrayList<>();
            p.db().units().inPhase("seed").forEach(u -> lines.addAll(p.db().ledger().forUnit(u.key())));
            return lines;
        }
    }

    private static void pricedWithTheSplit(LedgerEntry l) {
        double list = PriceTable.defaults().cost(l.model(), new Usage(l.inputTokens(), l.outputTokens(), l.cacheReadTokens(),
                l.cacheWriteTokens(), l.cacheWrite1hTokens()), false);
        assertThat(l.costUsd()).isCloseTo(l.batch() ? list / 2 : list, Offset.offset(1e-12));
    }

    @Test
    void aFastSynchronousRunOnAutoSendsNoTtlAndPaysFiveMinuteWrites() {
        brun("generate", "--provider", "anthropic", "--limit", "4", "--json");
        List<RecordedRequest> sent = sim.server().requests(FakeProviderServer.MESSAGES);
        assertThat(sent).hasSize(4);
        assertThat(cacheControls(sent)).allSatisfy(c -> assertThat(c.toString()).isEqualTo("{\"type\":\"ephemeral\"}"));
        List<LedgerEntry> lines = ledger();
        assertThat(lines).extracting(LedgerEntry::cacheWriteTokens).anySatisfy(w -> assertThat(w).isPositive());
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.cacheWrite1hTokens()).isZero();
            pricedWithTheSplit(l);
        });
    }

    @Test
    void cacheTtlOneHourInBrunYamlSendsTtlOneHourAndPaysTwiceInputForTheWrite() throws IOException {
        setCacheTtl("1h");
        brun("generate", "--provider", "anthropic", "--limit", "4", "--json");
        assertThat(cacheControls(sim.server().requests(FakeProviderServer.MESSAGES)))
                .hasSize(4).allSatisfy(c -> assertThat(c.toString()).isEqualTo("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}"));
        List<LedgerEntry> lines = ledger();
        assertThat(lines).filteredOn(l -> l.cacheWriteTokens() > 0).isNotEmpty()
                .allSatisfy(l -> assertThat(l.cacheWrite1hTokens()).isEqualTo(l.cacheWriteTokens()));
        assertThat(lines).allSatisfy(CacheTtlRunsTest::pricedWithTheSplit);
    }

    @Test
    void aBatchOnAutoAsksForTheOneHourLifetime() {
        brun("generate", "--batch", "--provider", "anthropic", "--limit", "3", "--poll-interval", "0.005", "--json");
        JsonNode requests = sim.server().requests(FakeProviderServer.BATCHES).getFirst().json().path("requests");
        assertThat(requests).hasSize(3).allSatisfy(r ->
                assertThat(r.path("params").path("system").get(0).path("cache_control").path("ttl").asString()).isEqualTo("1h"));
        assertThat(ledger()).hasSize(3).allSatisfy(l -> {
            assertThat(l.batch()).isTrue();
            assertThat(l.cacheWrite1hTokens()).isEqualTo(l.cacheWriteTokens());
            pricedWithTheSplit(l);
        });
    }

    @Test
    void aBatchWithCacheTtlFiveMinutesKeepsTheDefaultLifetime() throws IOException {
        setCacheTtl("5m");
        brun("generate", "--batch", "--provider", "anthropic", "--limit", "2", "--poll-interval", "0.005", "--json");
        JsonNode requests = sim.server().requests(FakeProviderServer.BATCHES).getFirst().json().path("requests");
        assertThat(requests).allSatisfy(r -> assertThat(r.path("params").path("system").get(0).path("cache_control").has("ttl")).isFalse());
    }

    @Test
    void estimateShowsTheLifetimePerLineInTextAndJson() throws IOException {
        JsonNode auto = JSON.readTree(brun("estimate", "--json").out()).path("lines").get(0);
        assertThat(auto.path("cache_ttl").asString()).isEqualTo("5m");
        assertThat(auto.path("batch_cache_ttl").asString()).isEqualTo("1h");
        assertThat(brun("estimate").out()).contains("cache ttl").contains("5m / 1h").contains("with --batch 1h");

        setCacheTtl("5m");
        JsonNode fixed = JSON.readTree(brun("estimate", "--json").out()).path("lines").get(0);
        assertThat(fixed.path("batch_cache_ttl").asString()).isEqualTo("5m");
        assertThat(fixed.path("note").asString()).contains("cache_ttl: 5m in brun.yaml");
    }
}

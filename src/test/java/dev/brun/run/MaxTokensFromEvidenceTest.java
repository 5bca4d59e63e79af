package dev.brun.run;

import dev.brun.cli.CliRun;
import dev.brun.llm.anthropic.AnthropicBatchClient;
import dev.brun.store.LedgerOutcome;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.RecordedRequest;
import dev.brun.llm.sim.ScriptedResponse;
import dev.brun.pack.Arc;
import dev.brun.pack.PackLoader;
import dev.brun.plan.OutputBudget;
import dev.brun.project.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * max_tokens follows the project's stored outputs once an arc has 20 of them (95th percentile + 15%), the
 * calibrated estimate before; a reply that hits the smaller limit is still retried once with a larger one.
 * The same for synchronous calls and for Message Batches requests.
 */
class MaxTokensFromEvidenceTest {
    private static final Arc ARC = PackLoader.loadBuiltin("financial-planning").arc("anxiety_to_confidence").orElseThrow();

    @TempDir Path tmp;

    @Test
    void thePercentileRuleNeedsTwentyOutputsAndNeverExceedsTheEstimate() {
        int calibrated = OutputBudget.maxTokens(ARC);
        List<Long> nineteen = LongStream.rangeClosed(1, 19).map(i -> i * 100).boxed().toList();
        assertThat(OutputBudget.maxTokens(ARC, nineteen)).isEqualTo(calibrated);
        List<Long> hundred = LongStream.rangeClosed(1, 100).map(i -> 2000 + i * 10).boxed().toList();
        // nearest rank: the 95th of 100 sorted outputs is 2950, plus 15%
        assertThat(OutputBudget.maxTokens(ARC, hundred)).isEqualTo((int) Math.ceil(2950 * 1.15));
        List<Long> huge = LongStream.rangeClosed(1, 30).map(i -> 50_000).boxed().toList();
        assertThat(OutputBudget.maxTokens(ARC, huge)).isEqualTo(calibrated);
    }

    @Test
    void callsAskForTheEvidenceLimitOnceStoredAndATruncationIsRetriedLarger() {
        Path dir = EngineFixtures.plannedProject(tmp.resolve("p"), "persona=overwhelmed_avoider,arc=" + ARC.key());
        List<Long> outputs = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger truncateNext = new AtomicInteger();
        try (FakeProviderServer server = new FakeProviderServer()) {
            server.start();
            server.respondWith(FakeProviderServer.MESSAGES, req -> reply(answered.getAndIncrement(), truncateNext));
            try (Project project = Project.open(dir)) {
                EngineFixtures.engine(project, EngineFixtures.anthropic(server.baseUrl(), Duration.ofSeconds(10),
                        EngineFixtures.fastResilience(3)), EngineSettings.defaults().withWorkers(4)).run();
                assertThat(maxTokensSent(server)).as("no evidence yet: the calibrated estimate").hasSize(20)
                        .containsOnly(OutputBudget.maxTokens(ARC));
                outputs.addAll(project.db().conversations().generatedOutputTokensByArc().get(ARC.key()));
            }
            assertThat(outputs).hasSize(20);
            int evidence = OutputBudget.maxTokens(ARC, outputs);
            assertThat(evidence).isLessThan((int) (OutputBudget.maxTokens(ARC) * 0.6));

            assertThat(CliRun.of("plan", "--project", dir.toString(), "--only", "persona=anxious_planner,arc=" + ARC.key()).exitCode()).isZero();
            int before = server.requests(FakeProviderServer.MESSAGES).size();
            truncateNext.set(1);
            try (Project project = Project.open(dir)) {
                EngineFixtures.engine(project, EngineFixtures.anthropic(server.baseUrl(), Duration.ofSeconds(10),
                        EngineFixtures.fastResilience(3)), EngineSettings.defaults().withWorkers(1)).run();
            }
            List<Integer> second = maxTokensSent(server).subList(before, server.requests(FakeProviderServer.MESSAGES).size());
            assertThat(second.getFirst()).as("evidence from 20 stored outputs of the arc").isEqualTo(evidence);
            assertThat(second.get(1)).as("the truncated call's one retry asks for more").isEqualTo(OutputBudget.retryMaxTokens(evidence));
            assertThat(second.subList(2, second.size())).hasSize(19).allSatisfy(m -> assertThat(m).isLessThanOrEqualTo(evidence));
        }
    }

    @Test
    void batchRequestsAskForTheEvidenceLimitOnceStoredAndATruncatedOneIsSentAgainLarger() {
        Path dir = EngineFixtures.plannedProject(tmp.resolve("b"), "persona=overwhelmed_avoider,arc=" + ARC.key());
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger truncateNext = new AtomicInteger();
        try (FakeProviderServer server = new FakeProviderServer()) {
            server.start();
            // every message its own id, as the API's: a batch result whose id the ledger holds was ingested already
            server.respondWith(FakeProviderServer.MESSAGES, req -> {
                int n = answered.getAndIncrement();
                ScriptedResponse r = reply(n, truncateNext);
                return ScriptedResponse.json(200, r.body().replace("\"msg_t\"", "\"msg_t" + n + "\""));
            });
            AnthropicBatchClient api = new AnthropicBatchClient(server.baseUrl(), EngineFixtures.API_KEY, Duration.ofSeconds(10),
                    EngineFixtures.fastResilience(3));
            BatchRunner.Report first;
            List<Long> outputs;
            try (Project project = Project.open(dir)) {
                first = batchRunner(project, api).run();
                outputs = project.db().conversations().generatedOutputTokensByArc().get(ARC.key());
            }
            assertThat(first.stored()).isEqualTo(20);
            assertThat(batchMaxTokens(server)).as("no evidence yet: the calibrated estimate").hasSize(1).first()
                    .satisfies(b -> assertThat(b).hasSize(20).containsOnly(OutputBudget.maxTokens(ARC)));
            int evidence = OutputBudget.maxTokens(ARC, outputs);
            assertThat(evidence).isLessThan((int) (OutputBudget.maxTokens(ARC) * 0.6));

            assertThat(CliRun.of("plan", "--project", dir.toString(), "--only", "persona=anxious_planner,arc=" + ARC.key()).exitCode()).isZero();
            truncateNext.set(1);
            BatchRunner.Report second;
            try (Project project = Project.open(dir)) {
                second = batchRunner(project, api).run();
                String truncated = project.db().units().all().stream()
                        .filter(u -> EngineFixtures.outcomes(project, u.key()).size() == 2).map(dev.brun.store.UnitRecord::key)
                        .findFirst().orElseThrow();
                assertThat(EngineFixtures.outcomes(project, truncated)).containsExactly(LedgerOutcome.RETRIED, LedgerOutcome.STORED);
            }
            assertThat(second.stored()).as("the truncated unit stored from its second request").isEqualTo(20);
            assertThat(second.failed()).isZero();
            List<List<Integer>> batches = batchMaxTokens(server);
            assertThat(batches).hasSize(3);
            assertThat(batches.get(1)).as("evidence from 20 stored outputs of the arc").hasSize(20).containsOnly(evidence);
            assertThat(batches.get(2)).as("the truncated request, once more with a larger limit")
                    .containsExactly(OutputBudget.retryMaxTokens(evidence));
        }
    }

    private static BatchRunner batchRunner(Project project, AnthropicBatchClient api) {
        return GenerationRuns.batchRunner(project, api, "anthropic",
                BatchRunner.Settings.defaults().withPolling(Duration.ofMillis(1), Duration.ofSeconds(20)), ConversationHook.NONE, null, line -> {});
    }

    /** The max_tokens of every request of every batch created, batch by batch. */
    private static List<List<Integer>> batchMaxTokens(FakeProviderServer server) {
        return server.requests(FakeProviderServer.BATCHES).stream().filter(r -> r.method().equals("POST") && r.path().equals(FakeProviderServer.BATCHES))
                .map(r -> {
                    List<Integer> limits = new ArrayList<>();
                    r.json().path("requests").forEach(item -> limits.add(item.path("params").path("max_tokens").asInt()));
                    return limits;
                }).toList();
    }

    private static ScriptedResponse reply(int n, AtomicInteger truncateNext) {
        if (truncateNext.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
            return ScriptedResponse.json(200, EngineFixtures.message("[{\"type\":\"text\",\"text\":\"cut\"}]", "max_tokens", 100));
        }
        // replies of 2,000 to 2,950 tokens, as a real model's would spread
        long outputTokens = 2000 + (n * 50L) % 1000;
        return ScriptedResponse.json(200, EngineFixtures.message("[{\"type\":\"tool_use\",\"id\":\"toolu_t\",\"name\":\"submit_conversation\",\"input\":"
                + EngineFixtures.validConversation(ARC) + "}]", "tool_use", outputTokens));
    }

    private static List<Integer> maxTokensSent(FakeProviderServer server) {
        return server.requests(FakeProviderServer.MESSAGES).stream().map(RecordedRequest::json).map(j -> j.path("max_tokens").asInt()).toList();
    }
}

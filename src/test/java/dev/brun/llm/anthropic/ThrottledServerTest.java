package dev.brun.llm.anthropic;

import dev.brun.llm.AdaptiveConcurrency;
import dev.brun.llm.ClientStats;
import dev.brun.llm.Fixtures;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmException;
import dev.brun.llm.Pacer;
import dev.brun.llm.Resilience;
import dev.brun.llm.RetryPolicy;
import dev.brun.llm.Sleeper;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.ScriptedResponse;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Many concurrent calls against a server with a request limit (time compressed) and 10% 529s. */
class ThrottledServerTest {

    @Test
    void everyCallEndsAndPacingKeeps429sRare() throws Exception {
        try (FakeProviderServer server = new FakeProviderServer()) {
            // 50 requests per 400 ms stands for 50 per minute
            server.limitRequests(50, Duration.ofMillis(400)).faultRate(0.10, 42)
                    .respondWith(FakeProviderServer.MESSAGES, r -> ScriptedResponse.json(200, Fixtures.toolUseMessage("{\"turns\":[]}", "tool_use")));
            Resilience resilience = new Resilience(new RetryPolicy(8, Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofSeconds(2)),
                    new Pacer(Clock.systemUTC(), Sleeper.SYSTEM), AdaptiveConcurrency.adaptive(8, 1, 32, Clock.systemUTC(), Duration.ofMillis(200)),
                    new ClientStats(), Sleeper.SYSTEM, Clock.systemUTC(), new Random(5));
            AnthropicClient client = new AnthropicClient(server.start(), "k", Duration.ofSeconds(5), resilience);

            int units = 150;
            ConcurrentHashMap<String, Integer> attemptsByUnit = new ConcurrentHashMap<>();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < units; i++) {
                    String unit = "unit-" + i;
                    futures.add(pool.submit(() -> {
                        try {
                            GenerationResult r = client.generate(Fixtures.request(unit));
                            attemptsByUnit.put(unit, r.attempts());
                        } catch (LlmException e) {
                            failures.add(unit + ": " + e.getMessage());
                        }
                    }));
                }
                for (Future<?> f : futures) f.get();
            }
            assertThat(attemptsByUnit.size() + failures.size()).isEqualTo(units);
            assertThat(failures).isEmpty();
            int attempts = attemptsByUnit.values().stream().mapToInt(Integer::intValue).sum();
            // every HTTP request the server saw is one attempt of one unit: nothing is sent twice unnoticed
            assertThat(server.requests(FakeProviderServer.MESSAGES)).hasSize(attempts);
            assertThat(server.faultCount()).isGreaterThan(0);
            ClientStats.Snapshot stats = client.stats().snapshot();
            assertThat(stats.overloaded()).isEqualTo(server.faultCount());
            assertThat(stats.rateLimited()).isEqualTo(server.rateLimitedCount());
            assertThat(server.rateLimitedCount()).isLessThan(units / 10);
        }
    }
}

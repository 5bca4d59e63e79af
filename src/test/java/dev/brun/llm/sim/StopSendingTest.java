package dev.brun.llm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.brun.llm.AdaptiveConcurrency;
import dev.brun.llm.LlmClient;
import dev.brun.llm.LlmException;
import dev.brun.llm.Resilience;
import dev.brun.llm.RetryPolicy;
import dev.brun.llm.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C while the rate limit holds calls back: a call waiting for the window must end at once, unsent,
 * rather than wait for the window and then be sent (and billed) by a run that is stopping.
 */
class StopSendingTest {

    @Test
    void aCallWaitingForTheRateLimitWindowEndsUnsentWhenSendingStops() throws Exception {
        // three requests per 30 s, announced in the replies' rate-limit headers
        SimulatedProvider.Settings settings = SimulatedProvider.Settings.DEFAULT
                .withLatency(Duration.ofMillis(5), Duration.ofMillis(20))
                .withRequestLimit(3, Duration.ofSeconds(30));
        try (SimulatedProvider sim = new SimulatedProvider(settings, SimFixtures.UNITS)) {
            LlmClient client = sim.client(Duration.ofSeconds(30), Resilience.of(
                    new RetryPolicy(4, Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(5)),
                    AdaptiveConcurrency.fixed(4), Clock.systemUTC(), Sleeper.SYSTEM));
            for (int i = 0; i < 3; i++) client.generate(request(i));
            assertThat(sim.server().requests(FakeProviderServer.MESSAGES)).hasSize(3);

            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    client.generate(request(3));
                    return null;
                } catch (LlmException e) {
                    return e;
                }
            });
            Thread.sleep(500);
            assertThat(waiting).as("the fourth call waits for the window").isNotDone();

            long stopAt = System.nanoTime();
            client.stopSending();
            Throwable ended = waiting.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).as("ends within a pacing step, not at the window's reset")
                    .isLessThan(Duration.ofSeconds(3));
            assertThat(ended).isInstanceOfSatisfying(LlmException.class, e -> {
                assertThat(e.kind()).isEqualTo(LlmException.Kind.STOPPED);
                assertThat(e.attempts()).as("never sent").isZero();
            });
            LlmException next = catchThrowableOfType(LlmException.class, () -> client.generate(request(4)));
            assertThat(next.kind()).as("later calls are not sent either").isEqualTo(LlmException.Kind.STOPPED);
            assertThat(sim.server().requests(FakeProviderServer.MESSAGES)).as("nothing reached the provider after the stop").hasSize(3);
            assertThat(sim.server().rateLimitedCount()).isZero();
        }
    }

    private static dev.brun.llm.GenerationRequest request(int i) {
        return SimFixtures.request("claude-sonnet-4-5", SimFixtures.facts("unit-" + i, i, "marcus", 40, "emergency_fund"), 100, 4000);
    }
}

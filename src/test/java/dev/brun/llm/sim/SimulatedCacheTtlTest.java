package dev.brun.llm.sim;

import dev.brun.llm.CacheTtl;
import dev.brun.llm.Fixtures;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.ManualTime;
import dev.brun.llm.SystemBlock;
import dev.brun.llm.Usage;
import dev.brun.llm.anthropic.AnthropicClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.brun.llm.sim.SimFixtures.facts;
import static org.assertj.core.api.Assertions.assertThat;

/** The simulated prompt cache keeps an entry for the lifetime the breakpoint asks for, on its own clock. */
class SimulatedCacheTtlTest {
    private final ManualTime clock = new ManualTime();
    private final SimulatedProvider sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT.withLatency(Duration.ZERO, Duration.ZERO), SimFixtures.UNITS, clock);
    private AnthropicClient client;

    @BeforeEach
    void start() {
        client = new AnthropicClient(sim.start(), "any-key", Duration.ofSeconds(10), Fixtures.compressed(new ManualTime(), 2));
    }

    @AfterEach
    void stop() { sim.close(); }

    private static GenerationRequest request(String staticText, CacheTtl ttl, int variation) {
        UnitFacts f = facts("seed:marcus:anx:efund:" + variation, variation, "marcus", 42, "efund");
        return new GenerationRequest("claude-sonnet-4-5",
                List.of(SystemBlock.cached(staticText, ttl), SystemBlock.plain("This conversation: " + f.persona().name())),
                SimFixtures.instruction(f), SimFixtures.conversationTool(), 0.8, 8000, f.unitKey());
    }

    private Usage call(String staticText, CacheTtl ttl, int variation) {
        return client.generate(request(staticText, ttl, variation)).usage();
    }

    @Test
    void aFiveMinuteEntryExpiresAcrossATenMinuteGapButAOneHourEntryIsStillRead() {
        String fiveMinutePrefix = SimFixtures.staticBlock(1500) + " (five-minute group)";
        String oneHourPrefix = SimFixtures.staticBlock(1500) + " (one-hour group)";
        Usage fiveWrite = call(fiveMinutePrefix, CacheTtl.FIVE_MINUTES, 0);
        Usage hourWrite = call(oneHourPrefix, CacheTtl.ONE_HOUR, 0);
        assertThat(fiveWrite.cacheWriteTokens()).isGreaterThan(1400);
        assertThat(fiveWrite.cacheWrite1hTokens()).as("a 5m write is reported as ephemeral_5m").isZero();
        assertThat(hourWrite.cacheWrite1hTokens()).as("a 1h write is reported as ephemeral_1h").isEqualTo(hourWrite.cacheWriteTokens()).isGreaterThan(1400);

        clock.advance(Duration.ofMinutes(10));

        Usage fiveAgain = call(fiveMinutePrefix, CacheTtl.FIVE_MINUTES, 1);
        Usage hourAgain = call(oneHourPrefix, CacheTtl.ONE_HOUR, 1);
        assertThat(fiveAgain.cacheReadTokens()).isZero();
        assertThat(fiveAgain.cacheWriteTokens()).as("expired: written again").isEqualTo(fiveWrite.cacheWriteTokens());
        assertThat(hourAgain.cacheReadTokens()).isEqualTo(hourWrite.cacheWriteTokens());
        assertThat(hourAgain.cacheWriteTokens()).isZero();

        clock.advance(Duration.ofMinutes(61));
        assertThat(call(oneHourPrefix, CacheTtl.ONE_HOUR, 2).cacheReadTokens()).as("an hour after its last read it is gone too").isZero();
    }

    @Test
    void eachReadRefreshesAFiveMinuteEntry() {
        String prefix = SimFixtures.staticBlock(1500);
        call(prefix, CacheTtl.FIVE_MINUTES, 0);
        clock.advance(Duration.ofMinutes(4));
        assertThat(call(prefix, CacheTtl.FIVE_MINUTES, 1).cacheReadTokens()).isPositive();
        clock.advance(Duration.ofMinutes(4));
        assertThat(call(prefix, CacheTtl.FIVE_MINUTES, 2).cacheReadTokens()).as("8 minutes after the write, 4 after the read").isPositive();
    }

    @Test
    void aTtlTheApiDoesNotKnowIsABadRequest() {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"system\":[{\"type\":\"text\",\"text\":\"x\","
                + "\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"2h\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        ScriptedResponse reply = sim.answerMessages(new RecordedRequest("POST", FakeProviderServer.MESSAGES, Map.of(), body));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("ttl");
    }
}

package dev.brun.llm;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.ScriptedResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The four limits of one HTTP call, each against a fake server that breaks it: a reply that does not start,
 * a body that stops, a body that trickles (slow but alive), a call that never ends.
 */
class CallTimeoutsTest {
    private static final String BODY = "{\"ok\": true, \"padding\": \"" + "x".repeat(2_000) + "\"}";
    private FakeProviderServer fake;
    private URI messages;

    @BeforeEach
    void start() {
        fake = new FakeProviderServer();
        messages = ProviderHttp.resolve(fake.start(), FakeProviderServer.MESSAGES);
    }

    @AfterEach
    void stop() { fake.close(); }

    private ProviderHttp http(Duration firstByte, Duration idle, Duration call) {
        return new ProviderHttp(fake.baseUrl(), new CallTimeouts(Duration.ofSeconds(5), firstByte, idle, call, Duration.ofSeconds(1)),
                Clock.systemUTC());
    }

    @Test
    void aReplyThatDoesNotStartWithinFirstByteIsAbandoned() {
        fake.script(FakeProviderServer.MESSAGES, ScriptedResponse.json(200, BODY).withDelay(Duration.ofSeconds(20)));
        assertThatThrownBy(() -> http(Duration.ofMillis(400), Duration.ofSeconds(10), Duration.ofSeconds(30)).post(messages, Map.of(), "{}"))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT);
                    assertThat(e.kind().retryable()).isTrue();
                    assertThat(e.getMessage()).contains("first_byte").contains("400 ms");
                });
    }

    @Test
    void aBodyThatFallsSilentLongerThanIdleIsAbandoned() {
        fake.script(FakeProviderServer.MESSAGES, ScriptedResponse.json(200, BODY).slowBody(Duration.ofSeconds(20)));
        assertThatThrownBy(() -> http(Duration.ofSeconds(10), Duration.ofMillis(400), Duration.ofSeconds(30)).post(messages, Map.of(), "{}"))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT);
                    assertThat(e.getMessage()).contains("idle").contains("mid-body");
                });
    }

    @Test
    void aBodyThatKeepsMovingIsReadWholeThoughItTakesLongerThanIdle() {
        // five chunks 300 ms apart: longer than the idle limit in total, never silent for that long
        fake.script(FakeProviderServer.MESSAGES, ScriptedResponse.json(200, BODY).slowBody(Duration.ofMillis(300)));
        ProviderHttp.Reply reply = http(Duration.ofSeconds(10), Duration.ofMillis(1_000), Duration.ofSeconds(30)).post(messages, Map.of(), "{}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(BODY);
    }

    @Test
    void aCallThatTricklesPastTheWholeCallLimitIsAbandoned() {
        fake.script(FakeProviderServer.MESSAGES, ScriptedResponse.json(200, BODY).slowBody(Duration.ofMillis(300)));
        assertThatThrownBy(() -> http(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMillis(700)).post(messages, Map.of(), "{}"))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.getMessage()).contains("longer than 700 ms"));
    }

    @Test
    void theDefaultsSuitLongGenerations() {
        CallTimeouts d = CallTimeouts.DEFAULTS;
        assertThat(d.firstByte()).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
        assertThat(d.call()).isGreaterThan(d.firstByte());
        assertThat(d.idle()).isLessThan(d.firstByte());
        assertThat(d.cachePriming()).isLessThan(d.firstByte());
    }
}

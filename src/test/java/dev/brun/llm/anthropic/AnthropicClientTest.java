package dev.brun.llm.anthropic;

import dev.brun.llm.Fixtures;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmException;
import dev.brun.llm.ManualTime;
import dev.brun.llm.StopReason;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.RecordedRequest;
import dev.brun.llm.sim.ScriptedResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static dev.brun.llm.Fixtures.request;
import static dev.brun.llm.Fixtures.toolUseMessage;
import static dev.brun.llm.sim.FakeProviderServer.MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AnthropicClientTest {
    private static final String KEY = "sk-ant-test-0123456789abcdef";
    private static final String OK = toolUseMessage("{\"turns\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "tool_use");

    private final FakeProviderServer server = new FakeProviderServer();
    private final ManualTime time = new ManualTime();
    private AnthropicClient client;

    @BeforeEach
    void start() {
        client = new AnthropicClient(server.start(), KEY, Duration.ofSeconds(5), Fixtures.compressed(time, 4));
    }

    @AfterEach
    void stop() { server.close(); }

    @Test
    void parsesForcedToolUseUsageAndRequestId() {
        server.script(MESSAGES, ScriptedResponse.json(200, OK));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.toolInput().path("turns").get(0).path("content").asString()).isEqualTo("hi");
        assertThat(result.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(result.usage().inputTokens()).isEqualTo(120);
        assertThat(result.usage().outputTokens()).isEqualTo(340);
        assertThat(result.usage().cacheReadTokens()).isEqualTo(2000);
        assertThat(result.requestId()).startsWith("req_fake_");
        assertThat(result.attempts()).isEqualTo(1);
    }

    @Test
    void sendsCachedStaticBlockForcedToolTemperatureAndNoTopP() {
        server.script(MESSAGES, ScriptedResponse.json(200, OK));
        client.generate(request("unit-1"));
        RecordedRequest sent = server.requests(MESSAGES).getFirst();
        assertThat(sent.header("x-api-key")).isEqualTo(KEY);
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("user-agent")).startsWith("brun/");
        JsonNode body = sent.json();
        assertThat(body.path("system").get(0).path("type").asString()).isEqualTo("text");
        assertThat(body.path("system").get(0).path("cache_control").path("type").asString()).isEqualTo("ephemeral");
        assertThat(body.path("system").get(1).has("cache_control")).isFalse();
        assertThat(body.path("tools").get(0).path("name").asString()).isEqualTo("submit_conversation");
        assertThat(body.path("tools").get(0).path("input_schema").path("type").asString()).isEqualTo("object");
        assertThat(body.path("tool_choice").path("type").asString()).isEqualTo("tool");
        assertThat(body.path("tool_choice").path("name").asString()).isEqualTo("submit_conversation");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(body.has("top_p")).isFalse();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(4000);
        assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("user");
    }

    @Test
    void retriesA429AfterItsRetryAfterThenSucceeds() {
        server.script(MESSAGES,
                ScriptedResponse.anthropicError(429, "rate_limit_error", "slow down").withHeader("retry-after", "7"),
                ScriptedResponse.json(200, OK));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(time.totalSlept()).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
        assertThat(client.stats().rateLimited()).isEqualTo(1);
        assertThat(client.stats().retries()).isEqualTo(1);
    }

    @Test
    void honoursRetryAfterMilliseconds() {
        server.script(MESSAGES,
                ScriptedResponse.anthropicError(429, "rate_limit_error", "slow down").withHeader("retry-after-ms", "1500"),
                ScriptedResponse.json(200, OK));
        client.generate(request("unit-1"));
        assertThat(time.sleeps().getFirst()).isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofMillis(1700));
    }

    @Test
    void retriesOverloaded529AndServerErrors500And502() {
        server.script(MESSAGES,
                ScriptedResponse.anthropicError(529, "overloaded_error", "Overloaded"),
                ScriptedResponse.anthropicError(500, "api_error", "boom"),
                ScriptedResponse.json(502, "<html>Bad Gateway</html>"),
                ScriptedResponse.json(200, OK));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.attempts()).isEqualTo(4);
        assertThat(client.stats().snapshot().overloaded()).isEqualTo(1);
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastStatus() {
        for (int i = 0; i < 4; i++) server.script(MESSAGES, ScriptedResponse.anthropicError(529, "overloaded_error", "Overloaded"));
        LlmException e = catchThrowableOfType(LlmException.class, () -> client.generate(request("unit-9")));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.OVERLOADED);
        assertThat(e.status()).isEqualTo(529);
        assertThat(e.attempts()).isEqualTo(4);
        assertThat(e.getMessage()).contains("529").contains("unit-9").contains("Overloaded");
    }

    @Test
    void retriesAConnectionDroppedMidBody() {
        server.script(MESSAGES, ScriptedResponse.json(200, OK).truncated(), ScriptedResponse.json(200, OK));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.toolInput()).isNotNull();
    }

    @Test
    void aConnectionDroppedMidBodyIsANetworkFault() {
        AnthropicClient once = new AnthropicClient(server.baseUrl(), KEY, Duration.ofSeconds(5), Fixtures.compressed(time, 1));
        server.script(MESSAGES, ScriptedResponse.json(200, OK).truncated());
        LlmException e = catchThrowableOfType(LlmException.class, () -> once.generate(request("unit-1")));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.NETWORK);
        assertThat(e.kind().retryable()).isTrue();
    }

    @Test
    void retriesAReadTimeout() {
        AnthropicClient impatient = new AnthropicClient(server.baseUrl(), KEY, Duration.ofMillis(300), Fixtures.compressed(time, 3));
        server.script(MESSAGES, ScriptedResponse.json(200, OK).withDelay(Duration.ofSeconds(2)), ScriptedResponse.json(200, OK));
        GenerationResult result = impatient.generate(request("unit-1"));
        assertThat(result.attempts()).isEqualTo(2);
    }

    @Test
    void timesOutWhenTheBodyStallsPastTheTimeout() {
        AnthropicClient impatient = new AnthropicClient(server.baseUrl(), KEY, Duration.ofMillis(300), Fixtures.compressed(time, 1));
        server.script(MESSAGES, ScriptedResponse.json(200, OK).slowBody(Duration.ofMillis(200)));
        LlmException e = catchThrowableOfType(LlmException.class, () -> impatient.generate(request("unit-1")));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT);
    }

    @Test
    void acceptsASlowBodyWithinTheTimeout() {
        server.script(MESSAGES, ScriptedResponse.json(200, OK).slowBody(Duration.ofMillis(30)));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.toolInput()).isNotNull();
    }

    @Test
    void reportsMaxTokensAsTruncatedWithoutRetrying() {
        server.script(MESSAGES, ScriptedResponse.json(200, toolUseMessage("{\"turns\":[]}", "max_tokens")));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(result.truncated()).isTrue();
        assertThat(result.attempts()).isEqualTo(1);
    }

    @Test
    void invalidJsonBodyIsAnInvalidResponseNotRetried() {
        server.script(MESSAGES, ScriptedResponse.json(200, "{\"id\":\"msg_1\",\"content\":[{\"type\":"));
        LlmException e = catchThrowableOfType(LlmException.class, () -> client.generate(request("unit-3")));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.INVALID_RESPONSE);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.getMessage()).contains("not valid JSON").contains("unit-3");
    }

    @Test
    void emptyContentGivesNoToolInputButKeepsUsage() {
        server.script(MESSAGES, ScriptedResponse.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[],\"stop_reason\":\"end_turn\","
                + "\"usage\":{\"input_tokens\":50,\"output_tokens\":0}}"));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.toolInput()).isNull();
        assertThat(result.text()).isEmpty();
        assertThat(result.usage().inputTokens()).isEqualTo(50);
    }

    @Test
    void refusalStopReasonIsReported() {
        server.script(MESSAGES, ScriptedResponse.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"I can't help with that.\"}],"
                + "\"stop_reason\":\"refusal\",\"usage\":{\"input_tokens\":50,\"output_tokens\":6}}"));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.stopReason()).isEqualTo(StopReason.REFUSAL);
        assertThat(result.toolInput()).isNull();
        assertThat(result.text()).contains("can't help");
    }

    @Test
    void unauthorizedIsAuthWithoutRetryAndNeverShowsTheKey() {
        server.script(MESSAGES, ScriptedResponse.anthropicError(401, "authentication_error", "invalid x-api-key " + KEY));
        LlmException e = catchThrowableOfType(LlmException.class, () -> client.generate(request("unit-1")));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.AUTH);
        assertThat(e.stopsRun()).isTrue();
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).contains("authentication_error").contains("ANTHROPIC_API_KEY").doesNotContain(KEY);
        assertThat(e.providerMessage()).doesNotContain(KEY);
        assertThat(server.requests(MESSAGES)).hasSize(1);
    }

    @Test
    void badRequestFailsAtOnceWithTheProvidersMessage() {
        server.script(MESSAGES, ScriptedResponse.anthropicError(400, "invalid_request_error", "max_tokens: too large"),
                ScriptedResponse.json(200, OK));
        LlmException e = catchThrowableOfType(LlmException.class, () -> client.generate(request("unit-4")));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("max_tokens: too large").contains("unit-4").contains("400");
        assertThat(server.requests(MESSAGES)).hasSize(1);
    }

    @Test
    void requestTooLargeAndNotFoundAreNotRetried() {
        server.script(MESSAGES, ScriptedResponse.anthropicError(413, "request_too_large", "too big"),
                ScriptedResponse.anthropicError(404, "not_found_error", "model: claude-nope"));
        assertThat(catchThrowableOfType(LlmException.class, () -> client.generate(request("a"))).kind()).isEqualTo(LlmException.Kind.BAD_REQUEST);
        assertThat(catchThrowableOfType(LlmException.class, () -> client.generate(request("b"))).kind()).isEqualTo(LlmException.Kind.BAD_REQUEST);
        assertThat(server.requests(MESSAGES)).hasSize(2);
    }

    @Test
    void pacesTheNextCallForOneRequestsRefillOfTheBucket() {
        String reset = time.instant().plusSeconds(30).toString();
        server.script(MESSAGES,
                ScriptedResponse.json(200, OK).withHeader("anthropic-ratelimit-requests-limit", "50")
                        .withHeader("anthropic-ratelimit-requests-remaining", "0")
                        .withHeader("anthropic-ratelimit-requests-reset", reset),
                ScriptedResponse.json(200, OK));
        GenerationResult first = client.generate(request("unit-1"));
        assertThat(first.rateLimit().requests().remaining()).isZero();
        assertThat(time.totalSlept()).isEqualTo(Duration.ZERO);
        client.generate(request("unit-2"));
        // 50 requests refill over the 30 s to reset (a token bucket): one is back after 0.6 s, not after 30
        assertThat(time.totalSlept()).isBetween(Duration.ofMillis(600), Duration.ofMillis(700));
        assertThat(client.stats().snapshot().pacedMillis()).isGreaterThanOrEqualTo(600);
        assertThat(client.stats().rateLimited()).isZero();
    }

    @Test
    void pacesOnInputTokensWhenTheCallWouldNotFit() {
        String reset = time.instant().plusSeconds(12).toString();
        server.script(MESSAGES,
                ScriptedResponse.json(200, OK).withHeader("anthropic-ratelimit-input-tokens-limit", "100000")
                        .withHeader("anthropic-ratelimit-input-tokens-remaining", "3")
                        .withHeader("anthropic-ratelimit-input-tokens-reset", reset),
                ScriptedResponse.json(200, OK));
        client.generate(request("unit-1"));
        client.generate(request("unit-2"));
        // 99,997 tokens refill over 12 s: the call waits for its own input tokens, a few milliseconds, not the reset
        assertThat(time.totalSlept()).isPositive().isLessThan(Duration.ofSeconds(1));
    }
}

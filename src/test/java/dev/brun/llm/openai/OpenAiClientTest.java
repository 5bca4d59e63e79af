package dev.brun.llm.openai;

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

import java.net.URI;
import java.time.Duration;

import static dev.brun.llm.Fixtures.request;
import static dev.brun.llm.sim.FakeProviderServer.CHAT_COMPLETIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OpenAiClientTest {
    private final FakeProviderServer server = new FakeProviderServer();
    private final ManualTime time = new ManualTime();
    private OpenAiClient client;

    @BeforeEach
    void start() {
        client = new OpenAiClient(URI.create(server.start() + "/v1"), "sk-openai-secret-key", Duration.ofSeconds(5), Fixtures.compressed(time, 3));
    }

    @AfterEach
    void stop() { server.close(); }

    static String completion(String content, String finish) {
        return "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + Fixtures.JSON.getNodeFactory().stringNode(content) + "},\"finish_reason\":\"" + finish + "\"}],"
                + "\"usage\":{\"prompt_tokens\":1500,\"completion_tokens\":400,\"prompt_tokens_details\":{\"cached_tokens\":1024}}}";
    }

    @Test
    void sendsJsonSchemaResponseFormatAndParsesTheObject() {
        server.script(CHAT_COMPLETIONS, ScriptedResponse.json(200, completion("{\"turns\":[1,2]}", "stop"))
                .withHeader("x-ratelimit-limit-requests", "500").withHeader("x-ratelimit-remaining-requests", "499")
                .withHeader("x-ratelimit-reset-requests", "120ms"));
        GenerationResult result = client.generate(request("unit-1"));
        RecordedRequest sent = server.requests(CHAT_COMPLETIONS).getFirst();
        JsonNode body = sent.json();
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-openai-secret-key");
        assertThat(body.path("response_format").path("type").asString()).isEqualTo("json_schema");
        assertThat(body.path("response_format").path("json_schema").path("name").asString()).isEqualTo("submit_conversation");
        assertThat(body.path("response_format").path("json_schema").path("strict").asBoolean()).isFalse();
        assertThat(body.path("response_format").path("json_schema").path("schema").path("type").asString()).isEqualTo("object");
        assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(body.path("messages").get(0).path("content").asString()).contains("Static rules.").contains("Unit facts for unit-1");
        assertThat(body.path("messages").get(1).path("role").asString()).isEqualTo("user");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(body.has("top_p")).isFalse();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(4000);
        assertThat(result.toolInput().path("turns").size()).isEqualTo(2);
        assertThat(result.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(result.usage().inputTokens()).isEqualTo(476);
        assertThat(result.usage().cacheReadTokens()).isEqualTo(1024);
        assertThat(result.usage().outputTokens()).isEqualTo(400);
        assertThat(result.rateLimit().requests().remaining()).isEqualTo(499);
        assertThat(result.rateLimit().requests().reset()).isEqualTo(time.instant().plusMillis(120));
    }

    @Test
    void fallsBackToJsonInTheTextWhenResponseFormatIsRejected() {
        server.script(CHAT_COMPLETIONS,
                ScriptedResponse.openAiError(400, "invalid_request_error", "Unknown parameter: 'response_format.json_schema'"),
                ScriptedResponse.json(200, completion("Sure! Here it is:\n```json\n{\"turns\":[{\"content\":\"a } brace\"}]}\n```\nAnything else?", "stop")),
                ScriptedResponse.json(200, completion("{\"turns\":[]}", "stop")));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.toolInput().path("turns").get(0).path("content").asString()).isEqualTo("a } brace");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(client.usesStructuredOutput()).isFalse();
        RecordedRequest fallback = server.requests(CHAT_COMPLETIONS).get(1);
        assertThat(fallback.json().has("response_format")).isFalse();
        assertThat(fallback.json().path("messages").get(0).path("content").asString()).contains("JSON schema");
        client.generate(request("unit-2"));
        assertThat(server.requests(CHAT_COMPLETIONS).get(2).json().has("response_format")).isFalse();
    }

    @Test
    void switchesToMaxCompletionTokensWhenTheModelAsksForIt() {
        server.script(CHAT_COMPLETIONS,
                ScriptedResponse.openAiError(400, "invalid_request_error",
                        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."),
                ScriptedResponse.json(200, completion("{\"turns\":[]}", "stop")));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.toolInput()).isNotNull();
        JsonNode second = server.requests(CHAT_COMPLETIONS).get(1).json();
        assertThat(second.path("max_completion_tokens").asInt()).isEqualTo(4000);
        assertThat(second.has("max_tokens")).isFalse();
        assertThat(second.path("response_format").path("type").asString()).isEqualTo("json_schema");
    }

    @Test
    void plainTextWithoutJsonGivesNoStructuredOutput() {
        server.script(CHAT_COMPLETIONS, ScriptedResponse.json(200, completion("I would rather talk about the weather.", "stop")));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.toolInput()).isNull();
        assertThat(result.text()).contains("weather");
    }

    @Test
    void finishReasonLengthIsMaxTokens() {
        server.script(CHAT_COMPLETIONS, ScriptedResponse.json(200, completion("{\"turns\":[{\"content\":\"cut", "length")));
        GenerationResult result = client.generate(request("unit-1"));
        assertThat(result.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(result.toolInput()).isNull();
    }

    @Test
    void worksWithoutAKeyForLocalServers() {
        OpenAiClient local = new OpenAiClient(server.baseUrl(), null, Duration.ofSeconds(5), Fixtures.compressed(time, 1));
        server.script(CHAT_COMPLETIONS, ScriptedResponse.json(200, completion("{\"turns\":[]}", "stop")));
        local.generate(request("unit-1"));
        assertThat(server.requests(CHAT_COMPLETIONS).getFirst().header("authorization")).isNull();
    }

    @Test
    void retries429WithRetryAfterMsAndStopsOn401WithoutTheKey() {
        server.script(CHAT_COMPLETIONS,
                ScriptedResponse.openAiError(429, "rate_limit_exceeded", "slow down").withHeader("retry-after-ms", "800"),
                ScriptedResponse.json(200, completion("{\"turns\":[]}", "stop")),
                ScriptedResponse.openAiError(401, "invalid_api_key", "Incorrect API key provided: sk-openai-secret-key"));
        assertThat(client.generate(request("unit-1")).attempts()).isEqualTo(2);
        assertThat(time.sleeps().getFirst()).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        LlmException e = catchThrowableOfType(LlmException.class, () -> client.generate(request("unit-2")));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.AUTH);
        assertThat(e.getMessage()).contains("OPENAI_API_KEY").doesNotContain("sk-openai-secret-key");
    }

    @Test
    void readsRelativeResetDurations() {
        assertThat(OpenAiRateLimitHeaders.duration("6m0s")).isEqualTo(Duration.ofMinutes(6));
        assertThat(OpenAiRateLimitHeaders.duration("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
        assertThat(OpenAiRateLimitHeaders.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(OpenAiRateLimitHeaders.duration("2")).isEqualTo(Duration.ofSeconds(2));
    }
}

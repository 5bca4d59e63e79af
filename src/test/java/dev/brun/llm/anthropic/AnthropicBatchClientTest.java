package dev.brun.llm.anthropic;

import dev.brun.llm.Fixtures;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.ManualTime;
import dev.brun.llm.StopReason;
import dev.brun.llm.anthropic.AnthropicBatchClient.BatchItem;
import dev.brun.llm.anthropic.AnthropicBatchClient.BatchResult;
import dev.brun.llm.anthropic.AnthropicBatchClient.BatchStatus;
import dev.brun.llm.anthropic.AnthropicBatchClient.ResultType;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.FakeProviderServer.BatchOutcome;
import dev.brun.llm.sim.FakeProviderServer.BatchScript;
import dev.brun.llm.sim.ScriptedResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnthropicBatchClientTest {
    private final FakeProviderServer server = new FakeProviderServer();
    private final ManualTime time = new ManualTime();
    private AnthropicBatchClient batches;

    @BeforeEach
    void start() {
        batches = new AnthropicBatchClient(server.start(), "sk-ant-batch", Duration.ofSeconds(5), Fixtures.compressed(time, 3));
        server.respondWith(FakeProviderServer.MESSAGES, request -> ScriptedResponse.json(200,
                Fixtures.toolUseMessage("{\"turns\":[],\"max\":" + request.json().path("max_tokens").asInt() + "}", "tool_use")));
    }

    @AfterEach
    void stop() { server.close(); }

    private static List<BatchItem> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> new BatchItem("unit_" + i, Fixtures.request("unit-" + i))).toList();
    }

    @Test
    void pollsFromInProgressToEndedAndReadsMixedResults() {
        Map<String, BatchOutcome> outcomes = Map.of("unit_0", BatchOutcome.SUCCEEDED, "unit_1", BatchOutcome.ERRORED,
                "unit_2", BatchOutcome.EXPIRED, "unit_3", BatchOutcome.CANCELED);
        server.batchScript(new BatchScript(2, outcomes::get));
        BatchStatus created = batches.create(items(4));
        assertThat(created.id()).startsWith("msgbatch_");
        assertThat(created.processingStatus()).isEqualTo("in_progress");
        assertThat(created.counts().processing()).isEqualTo(4);

        assertThat(batches.retrieve(created.id()).ended()).isFalse();
        assertThat(batches.retrieve(created.id()).ended()).isFalse();
        BatchStatus ended = batches.retrieve(created.id());
        assertThat(ended.ended()).isTrue();
        assertThat(ended.counts().succeeded()).isEqualTo(1);
        assertThat(ended.counts().errored()).isEqualTo(1);
        assertThat(ended.resultsUrl()).endsWith("/results");

        List<BatchResult> results = batches.results(ended);
        assertThat(results).extracting(BatchResult::customId).containsExactly("unit_0", "unit_1", "unit_2", "unit_3");
        assertThat(results).extracting(BatchResult::type)
                .containsExactly(ResultType.SUCCEEDED, ResultType.ERRORED, ResultType.EXPIRED, ResultType.CANCELED);
        BatchResult ok = results.getFirst();
        assertThat(ok.result().stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(ok.result().toolInput().path("max").asInt()).isEqualTo(4000);
        assertThat(ok.result().usage().outputTokens()).isEqualTo(340);
        assertThat(results.get(1).error()).contains("invalid_request_error");
        assertThat(results.get(1).result()).isNull();
    }

    @Test
    void sendsTheSameParamsAsTheSynchronousClient() {
        batches.create(items(1));
        var params = server.requests(FakeProviderServer.BATCHES).getFirst().json().path("requests").get(0);
        assertThat(params.path("custom_id").asString()).isEqualTo("unit_0");
        assertThat(params.path("params").path("tool_choice").path("name").asString()).isEqualTo("submit_conversation");
        assertThat(params.path("params").path("system").get(0).path("cache_control").path("type").asString()).isEqualTo("ephemeral");
        assertThat(params.path("params").has("top_p")).isFalse();
        assertThat(server.requests(FakeProviderServer.BATCHES).getFirst().header("x-api-key")).isEqualTo("sk-ant-batch");
    }

    @Test
    void cancelEndsTheBatchWithEveryRequestCanceled() {
        server.batchScript(new BatchScript(5, id -> BatchOutcome.SUCCEEDED));
        BatchStatus created = batches.create(items(3));
        assertThat(batches.cancel(created.id()).processingStatus()).isEqualTo("canceling");
        BatchStatus ended = batches.retrieve(created.id());
        assertThat(ended.ended()).isTrue();
        assertThat(batches.results(ended)).extracting(BatchResult::type).containsOnly(ResultType.CANCELED);
    }

    @Test
    void refusesResultsBeforeTheEndAndInvalidCustomIds() {
        server.batchScript(new BatchScript(5, id -> BatchOutcome.SUCCEEDED));
        BatchStatus created = batches.create(items(1));
        assertThatThrownBy(() -> batches.results(created)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not ended");
        GenerationRequest r = Fixtures.request("x");
        assertThatThrownBy(() -> batches.create(List.of(new BatchItem("seed:a:b", r)))).hasMessageContaining("customIdFor");
        assertThatThrownBy(() -> batches.create(List.of(new BatchItem("a", r), new BatchItem("a", r)))).hasMessageContaining("twice");
    }

    @Test
    void customIdsAreValidStableAndDistinct() {
        String a = AnthropicBatchClient.customIdFor("seed:marcus:anxiety_to_confidence:emergency_fund:0");
        String b = AnthropicBatchClient.customIdFor("seed:marcus:anxiety_to_confidence:emergency_fund:1");
        assertThat(a).matches("^[a-zA-Z0-9_-]{1,64}$").isNotEqualTo(b);
        assertThat(AnthropicBatchClient.customIdFor("seed:marcus:anxiety_to_confidence:emergency_fund:0")).isEqualTo(a);
        assertThat(AnthropicBatchClient.customIdFor("plain_key-1")).isEqualTo("plain_key-1");
        assertThat(AnthropicBatchClient.customIdFor("x".repeat(200))).hasSizeLessThanOrEqualTo(64);
    }

    @Test
    void splitsByRequestCountAndBySize() {
        List<BatchItem> five = items(5);
        assertThat(AnthropicBatchClient.split(five, 2, Long.MAX_VALUE)).extracting(List::size).containsExactly(2, 2, 1);
        long oneItem = dev.brun.llm.WireJson.MAPPER.writeValueAsBytes(new AnthropicRequestMapper().toWire(five.getFirst().request())).length;
        assertThat(AnthropicBatchClient.split(five, 100, oneItem * 3 + 200)).extracting(List::size).containsExactly(3, 2);
        assertThat(AnthropicBatchClient.split(five)).hasSize(1);
    }
}

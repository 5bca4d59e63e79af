package dev.brun.llm.anthropic;

import dev.brun.llm.CacheTtl;
import dev.brun.llm.Fixtures;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.ManualTime;
import dev.brun.llm.SystemBlock;
import dev.brun.llm.Usage;
import dev.brun.llm.WireJson;
import dev.brun.llm.anthropic.AnthropicBatchClient.BatchItem;
import dev.brun.llm.anthropic.AnthropicWire.CacheCreation;
import dev.brun.llm.anthropic.AnthropicWire.WireUsage;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.ScriptedResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

import static dev.brun.llm.sim.FakeProviderServer.MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The prompt-cache lifetime as the Anthropic wire carries it: cache_control.ttl out, usage.cache_creation back. */
class CacheTtlWireTest {
    private final FakeProviderServer server = new FakeProviderServer();
    private final ManualTime time = new ManualTime();
    private AnthropicClient client;
    private AnthropicBatchClient batches;

    @BeforeEach
    void start() {
        var base = server.start();
        client = new AnthropicClient(base, "sk-ant-ttl", Duration.ofSeconds(5), Fixtures.compressed(time, 2));
        batches = new AnthropicBatchClient(base, "sk-ant-ttl", Duration.ofSeconds(5), Fixtures.compressed(time, 2));
    }

    @AfterEach
    void stop() { server.close(); }

    private static GenerationRequest request(CacheTtl ttl) {
        return new GenerationRequest("claude-sonnet-4-5",
                List.of(SystemBlock.cached("Static consultant rules.", ttl), SystemBlock.plain("Unit facts.")),
                "Write the conversation.", Fixtures.submitConversation(), 0.7, 4000, "unit-1");
    }

    private static String message(String usage) {
        return "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"submit_conversation\",\"input\":{\"turns\":[]}}],"
                + "\"stop_reason\":\"tool_use\",\"usage\":" + usage + "}";
    }

    @Test
    void fiveMinuteBreakpointIsSentWithoutTtlExactlyAsBefore() {
        server.script(MESSAGES, ScriptedResponse.json(200, Fixtures.toolUseMessage("{\"turns\":[]}", "tool_use")));
        client.generate(request(CacheTtl.FIVE_MINUTES));
        String body = server.requests(MESSAGES).getFirst().body();
        assertThat(body).contains("\"cache_control\":{\"type\":\"ephemeral\"}").doesNotContain("ttl");
        // SystemBlock.cached(text) keeps meaning five minutes: the same bytes go out as before lifetimes existed
        String system = WireJson.MAPPER.writeValueAsString(new AnthropicRequestMapper().toWire(Fixtures.request("unit-1")).system());
        assertThat(system).isEqualTo("[{\"type\":\"text\",\"text\":\"You are the consultant. Static rules.\",\"cache_control\":{\"type\":\"ephemeral\"}},"
                + "{\"type\":\"text\",\"text\":\"Unit facts for unit-1\"}]");
    }

    @Test
    void oneHourBreakpointCarriesTtlOneHourOnTheCachedBlockOnly() {
        server.script(MESSAGES, ScriptedResponse.json(200, Fixtures.toolUseMessage("{\"turns\":[]}", "tool_use")));
        client.generate(request(CacheTtl.ONE_HOUR));
        JsonNode system = server.requests(MESSAGES).getFirst().json().path("system");
        assertThat(system.get(0).path("cache_control").toString()).isEqualTo("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}");
        assertThat(system.get(1).has("cache_control")).isFalse();
    }

    @Test
    void batchParamsCarryTheSameTtlAsTheSynchronousRequest() {
        batches.create(List.of(new BatchItem("unit_1h", request(CacheTtl.ONE_HOUR)), new BatchItem("unit_5m", request(CacheTtl.FIVE_MINUTES))));
        JsonNode requests = server.requests(FakeProviderServer.BATCHES).getFirst().json().path("requests");
        assertThat(requests.get(0).path("params").path("system").get(0).path("cache_control").path("ttl").asString()).isEqualTo("1h");
        assertThat(requests.get(1).path("params").path("system").get(0).path("cache_control").has("ttl")).isFalse();
    }

    @Test
    void usageSplitsCacheWritesIntoOneHourAndFiveMinuteParts() {
        server.script(MESSAGES, ScriptedResponse.json(200, message("{\"input_tokens\":50,\"output_tokens\":300,"
                + "\"cache_creation_input_tokens\":2500,\"cache_read_input_tokens\":0,"
                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":500,\"ephemeral_1h_input_tokens\":2000}}")));
        GenerationResult result = client.generate(request(CacheTtl.ONE_HOUR));
        assertThat(result.usage()).isEqualTo(new Usage(50, 300, 0, 2500, 2000));
        assertThat(result.usage().cacheWrite5mTokens()).isEqualTo(500);
    }

    @Test
    void usageWithoutBreakdownCountsEveryWriteAsFiveMinutes() {
        server.script(MESSAGES, ScriptedResponse.json(200, message("{\"input_tokens\":50,\"output_tokens\":300,"
                + "\"cache_creation_input_tokens\":1800,\"cache_read_input_tokens\":0}")));
        GenerationResult result = client.generate(request(CacheTtl.ONE_HOUR));
        assertThat(result.usage().cacheWriteTokens()).isEqualTo(1800);
        assertThat(result.usage().cacheWrite1hTokens()).isZero();
    }

    @Test
    void breakdownWithoutTotalStillCountsTheWrites() {
        Usage u = new AnthropicUsageMapper().toUsage(new WireUsage(10L, 20L, null, 0L, new CacheCreation(0L, 4096L)));
        assertThat(u.cacheWriteTokens()).isEqualTo(4096);
        assertThat(u.cacheWrite1hTokens()).isEqualTo(4096);
    }

    @Test
    void aOneHourBreakpointAfterAFiveMinuteOneIsRefusedBeforeSending() {
        GenerationRequest mixed = new GenerationRequest("claude-sonnet-4-5",
                List.of(SystemBlock.cached("a", CacheTtl.FIVE_MINUTES), SystemBlock.cached("b", CacheTtl.ONE_HOUR)),
                "go", null, 0.5, 100, "unit-mixed");
        assertThatThrownBy(() -> new AnthropicRequestMapper().toWire(mixed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unit-mixed");
    }
}

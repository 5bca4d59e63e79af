package dev.brun.llm.sim;

import dev.brun.llm.Fixtures;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmException;
import dev.brun.llm.ManualTime;
import dev.brun.llm.StopReason;
import dev.brun.llm.anthropic.AnthropicClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.brun.llm.sim.SimFixtures.facts;
import static dev.brun.llm.sim.SimFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SimulatedProviderTest {
    private final SimulatedProvider sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT.withLatency(Duration.ZERO, Duration.ZERO), SimFixtures.UNITS);
    private AnthropicClient client;

    @BeforeEach
    void start() {
        client = new AnthropicClient(sim.start(), "any-key", Duration.ofSeconds(10), Fixtures.compressed(new ManualTime(), 2));
    }

    @AfterEach
    void stop() { sim.close(); }

    @Test
    void writesConversationsThatFollowTheContractForSeveralUnits() {
        List<UnitFacts> units = List.of(facts("seed:marcus:anx:efund:0", 0, "marcus", 42, "efund"),
                facts("seed:priya:anx:efund:1", 1, "priya", 29, "efund"),
                facts("exp:marcus:anx:debt:2", 2, "marcus", 55, "debt"),
                facts("exp:priya:anx:debt:3", 3, "priya", 61, "debt"));
        for (UnitFacts f : units) {
            GenerationResult result = client.generate(request("claude-sonnet-4-5", f, 200, 8000));
            assertThat(result.stopReason()).isEqualTo(StopReason.TOOL_USE);
            assertFollowsContract(result.toolInput(), f);
        }
    }

    @Test
    void isDeterministicPerUnitKeyAndVariesAcrossVariations() {
        UnitFacts a = facts("seed:marcus:anx:efund:0", 0, "marcus", 42, "efund");
        JsonNode first = client.generate(request("claude-sonnet-4-5", a, 200, 8000)).toolInput();
        JsonNode again = client.generate(request("claude-sonnet-4-5", a, 200, 8000)).toolInput();
        assertThat(again).isEqualTo(first);
        Set<String> openings = new java.util.HashSet<>();
        for (int v = 0; v < 6; v++) {
            JsonNode other = client.generate(request("claude-sonnet-4-5", facts("seed:marcus:anx:efund:" + v, v, "marcus", 42, "efund"), 200, 8000)).toolInput();
            openings.add(other.path("turns").toString());
        }
        assertThat(openings).hasSize(6);
    }

    @Test
    void writesTheCacheOnFirstUseThenReadsIt() {
        UnitFacts f = facts("seed:marcus:anx:efund:0", 0, "marcus", 42, "efund");
        GenerationResult first = client.generate(request("claude-sonnet-4-5", f, 1500, 8000));
        GenerationResult second = client.generate(request("claude-sonnet-4-5", facts("seed:priya:anx:efund:1", 1, "priya", 30, "efund"), 1500, 8000));
        assertThat(first.usage().cacheWriteTokens()).isGreaterThan(1400);
        assertThat(first.usage().cacheReadTokens()).isZero();
        assertThat(second.usage().cacheReadTokens()).isEqualTo(first.usage().cacheWriteTokens());
        assertThat(second.usage().cacheWriteTokens()).isZero();
        assertThat(first.usage().inputTokens()).isBetween(20L, 1000L);
        assertThat(first.usage().outputTokens()).isGreaterThan(100);
        // another model has its own cache
        GenerationResult otherModel = client.generate(request("claude-opus-4-1", f, 1500, 8000));
        assertThat(otherModel.usage().cacheWriteTokens()).isGreaterThan(0);
    }

    @Test
    void doesNotCacheAPrefixBelowTheModelsMinimum() {
        UnitFacts f = facts("seed:marcus:anx:efund:0", 0, "marcus", 42, "efund");
        client.generate(request("claude-haiku-4-5", f, 2000, 8000));
        GenerationResult second = client.generate(request("claude-haiku-4-5", f, 2000, 8000));
        assertThat(second.usage().cacheReadTokens()).isZero();
        assertThat(second.usage().cacheWriteTokens()).isZero();
        assertThat(second.usage().inputTokens()).isGreaterThan(2000);
    }

    @Test
    void stopsAtMaxTokensWhenTheConversationDoesNotFit() {
        GenerationResult result = client.generate(request("claude-sonnet-4-5", facts("u1", 0, "marcus", 42, "efund"), 200, 50));
        assertThat(result.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(result.toolInput()).isNull();
        assertThat(result.usage().outputTokens()).isEqualTo(50);
    }

    @Test
    void refusesARequestForAUnitItDoesNotKnow() {
        var bare = new dev.brun.llm.GenerationRequest("claude-sonnet-4-5", List.of(), "Write the conversation for unit never-planned now.",
                SimFixtures.conversationTool(), 0.7, 4000, "never-planned");
        LlmException e = catchThrowableOfType(LlmException.class, () -> client.generate(bare));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("knows no unit");
    }

    @Test
    void fillsAnUnknownToolFromItsSchema() {
        var judge = new dev.brun.llm.ToolSpec("submit_scores", "",
                Fixtures.json("{\"type\":\"object\",\"properties\":{\"empathy\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},"
                        + "\"verdict\":{\"type\":\"string\",\"enum\":[\"pass\",\"fail\"]},\"reasons\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}"));
        var req = new dev.brun.llm.GenerationRequest("claude-haiku-4-5", List.of(), "Score this.", judge, 0.0, 1000, "judge-1");
        JsonNode input = client.generate(req).toolInput();
        assertThat(input.path("empathy").asInt()).isEqualTo(3);
        assertThat(input.path("verdict").asString()).isEqualTo("pass");
        assertThat(input.path("reasons").isArray()).isTrue();
    }

    @Test
    void sendsRateLimitHeadersThatTheClientReads() {
        GenerationResult result = client.generate(request("claude-sonnet-4-5", facts("u1", 0, "marcus", 42, "efund"), 200, 8000));
        assertThat(result.rateLimit().requests().limit()).isEqualTo(4000);
        assertThat(result.rateLimit().requests().remaining()).isLessThan(4000);
        assertThat(result.rateLimit().outputTokens().remaining()).isLessThan(result.rateLimit().outputTokens().limit());
        assertThat(result.rateLimit().inputTokens().reset()).isNotNull();
    }

    @Test
    void answersTheOpenAiTwinWithTheSameConversation() {
        UnitFacts f = facts("seed:marcus:anx:efund:0", 0, "marcus", 42, "efund");
        var openAi = new dev.brun.llm.openai.OpenAiClient(sim.baseUrl(), null, Duration.ofSeconds(10), Fixtures.compressed(new ManualTime(), 1));
        GenerationResult viaOpenAi = openAi.generate(request("gpt-4.1-mini", f, 200, 8000));
        GenerationResult viaAnthropic = client.generate(request("claude-sonnet-4-5", f, 200, 8000));
        assertThat(viaOpenAi.toolInput()).isEqualTo(viaAnthropic.toolInput());
        assertThat(viaOpenAi.rateLimit().tokens().remaining()).isPositive();
        assertThat(sim.server().requests(FakeProviderServer.CHAT_COMPLETIONS).getFirst().json().path("response_format").path("type").asString())
                .isEqualTo("json_schema");
    }

    @Test
    void injectsOverloadFaultsThatTheClientRetries() {
        try (SimulatedProvider faulty = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT
                .withLatency(Duration.ZERO, Duration.ZERO).withFaultRate(0.5, 11), SimFixtures.UNITS)) {
            var retrying = faulty.client(Duration.ofSeconds(10), Fixtures.compressed(new ManualTime(), 20));
            for (int i = 0; i < 10; i++) {
                assertThat(retrying.generate(request("claude-sonnet-4-5", facts("u" + i, i, "marcus", 42, "efund"), 200, 8000)).toolInput()).isNotNull();
            }
            assertThat(faulty.server().faultCount()).isPositive();
            assertThat(retrying.stats().snapshot().overloaded()).isEqualTo(faulty.server().faultCount());
            assertThat(retrying.provider()).isEqualTo("simulated");
        }
    }

    @Test
    void answersThreeHundredUnitsConcurrentlyInAFewSeconds() throws Exception {
        try (SimulatedProvider demo = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT, SimFixtures.UNITS)) {
            var demoClient = demo.client(Duration.ofSeconds(30), dev.brun.llm.Resilience.of(dev.brun.llm.RetryPolicy.DEFAULT,
                    dev.brun.llm.AdaptiveConcurrency.fixed(32), java.time.Clock.systemUTC(), dev.brun.llm.Sleeper.SYSTEM));
            long start = System.nanoTime();
            java.util.concurrent.atomic.AtomicLong cacheReads = new java.util.concurrent.atomic.AtomicLong();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<GenerationResult>> futures = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    UnitFacts f = facts("seed:u" + i, i % 7, i % 2 == 0 ? "marcus" : "priya", 30 + i % 30, "efund");
                    futures.add(pool.submit(() -> demoClient.generate(request("claude-sonnet-4-5", f, 1500, 8000))));
                }
                for (var future : futures) {
                    GenerationResult r = future.get();
                    assertThat(r.toolInput()).isNotNull();
                    cacheReads.addAndGet(r.usage().cacheReadTokens());
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(cacheReads.get()).isPositive();
        }
    }

    @Test
    void answersMessageBatchesWithTheSameConversations() {
        var batches = new dev.brun.llm.anthropic.AnthropicBatchClient(sim.baseUrl(), "k", Duration.ofSeconds(10), Fixtures.compressed(new ManualTime(), 2));
        UnitFacts f = facts("seed:marcus:anx:efund:0", 0, "marcus", 42, "efund");
        var created = batches.create(List.of(new dev.brun.llm.anthropic.AnthropicBatchClient.BatchItem(
                dev.brun.llm.anthropic.AnthropicBatchClient.customIdFor(f.unitKey()), request("claude-sonnet-4-5", f, 200, 8000))));
        var ended = batches.retrieve(created.id());
        assertThat(ended.ended()).isTrue();
        var results = batches.results(ended);
        assertThat(results).hasSize(1);
        assertFollowsContract(results.getFirst().result().toolInput(), f);
        assertThat(results.getFirst().result().toolInput()).isEqualTo(client.generate(request("claude-sonnet-4-5", f, 200, 8000)).toolInput());
    }

    @Test
    void copesWithSparseFacts() {
        UnitFacts sparse = new UnitFacts("edge:1", 0, "", new UnitFacts.Consultant("Sam"),
                new UnitFacts.Persona("p", "Ana", 35, "", "", "Nurse", "", 40_000, 40_000, List.of()),
                new UnitFacts.Arc("a", "A", "worried", 0.9, List.of(), "calm", 0.3, List.of(), List.of("only_stage"), 1, 1),
                new UnitFacts.Topic("t", "Budgeting", "", List.of()));
        JsonNode input = new ConversationSimulator().write(sparse);
        assertThat(input.path("turns").size()).isEqualTo(2);
        assertThat(input.path("turns").get(1).path("phase").asString()).isEqualTo("only_stage");
        assertThat(input.path("turns").get(0).path("emotion").path("primary").asString()).isEqualTo("worried");
        assertThat(input.toString()).contains("$40,000").contains("I'm 35").doesNotContain("null");
    }

    @Test
    void rejectsFactsWithoutAnIncomeRange() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new UnitFacts.Persona("p", "Ana", 35, "", "", "Nurse", "", 0, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("income_max");
    }

    static void assertFollowsContract(JsonNode input, UnitFacts f) {
        assertThat(input.path("session_context").asString()).contains(f.persona().name()).contains(Integer.toString(f.persona().age()));
        assertThat(input.path("expected_outcome").asString()).isNotBlank();
        JsonNode turns = input.path("turns");
        int exchanges = turns.size() / 2;
        assertThat(turns.size() % 2).isZero();
        assertThat(exchanges).isBetween(f.arc().minExchanges(), f.arc().maxExchanges());
        List<String> phases = new ArrayList<>();
        StringBuilder userText = new StringBuilder();
        for (int i = 0; i < turns.size(); i++) {
            JsonNode turn = turns.get(i);
            String content = turn.path("content").asString();
            assertThat(content).isNotBlank();
            if (i % 2 == 0) {
                assertThat(turn.path("role").asString()).isEqualTo("user");
                JsonNode e = turn.path("emotion");
                assertThat(e.path("primary").asString()).isNotBlank();
                assertThat(e.path("secondary").asString()).isNotBlank();
                assertThat(e.path("intensity").asDouble()).isBetween(0.0, 1.0);
                assertThat(e.path("confidence").asDouble()).isBetween(0.0, 1.0);
                assertThat(e.path("valence").asString()).isIn("positive", "negative", "mixed");
                userText.append(content).append(' ');
            } else {
                assertThat(turn.path("role").asString()).isEqualTo("assistant");
                assertThat(content).matches("(?s).*[.!?]$");
                assertThat(turn.path("learning_objective").asString()).isNotBlank();
                assertThat(turn.path("skills").size()).isPositive();
                phases.add(turn.path("phase").asString());
            }
        }
        assertThat(f.arc().stages()).containsAll(phases);
        List<Integer> order = phases.stream().map(p -> f.arc().stages().indexOf(p)).toList();
        assertThat(order).isSorted();
        assertThat(phases.getFirst()).isEqualTo(f.arc().stages().getFirst());
        assertThat(phases.getLast()).isEqualTo(f.arc().stages().getLast());
        assertThat(turns.get(0).path("emotion").path("primary").asString()).isEqualTo(f.arc().startEmotion());
        assertThat(turns.get(turns.size() - 2).path("emotion").path("primary").asString()).isEqualTo(f.arc().endEmotion());
        assertThat(turns.get(0).path("emotion").path("valence").asString()).isEqualTo("negative");
        assertThat(turns.get(turns.size() - 2).path("emotion").path("valence").asString()).isEqualTo("positive");
        String said = userText.toString();
        assertThat(said).contains("I'm " + f.persona().age());
        assertThat(said.toLowerCase()).contains(f.persona().occupation().toLowerCase());
        assertThat(f.topic().keyTerms().stream().anyMatch(t -> input.toString().contains(t))).isTrue();
        // the assistant acknowledges the user's feeling before the facts
        String firstReply = turns.get(1).path("content").asString();
        assertThat(firstReply.substring(0, firstReply.indexOf('.') + 1)).contains(f.arc().startEmotion());
    }
}

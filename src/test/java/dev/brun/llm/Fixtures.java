package dev.brun.llm;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/** Small builders shared by the llm tests. */
public final class Fixtures {
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private Fixtures() {}

    public static JsonNode json(String text) { return JSON.readTree(text); }

    public static ToolSpec submitConversation() {
        return new ToolSpec("submit_conversation", "Submit one conversation.",
                json("{\"type\":\"object\",\"properties\":{\"turns\":{\"type\":\"array\"}},\"required\":[\"turns\"]}"));
    }

    public static GenerationRequest request(String tag) {
        return new GenerationRequest("claude-sonnet-4-5",
                List.of(SystemBlock.cached("You are the consultant. Static rules."), SystemBlock.plain("Unit facts for " + tag)),
                "Write the conversation.", submitConversation(), 0.7, 4000, tag);
    }

    /** Resilience on compressed time: no real sleeping, fixed concurrency, deterministic jitter. */
    public static Resilience compressed(ManualTime time, int maxAttempts) {
        return new Resilience(new RetryPolicy(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(1)),
                new Pacer(time, time), AdaptiveConcurrency.fixed(8), new ClientStats(), time, time, new Random(1));
    }

    public static String toolUseMessage(String inputJson, String stopReason) {
        return "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"submit_conversation\",\"input\":" + inputJson + "}],"
                + "\"stop_reason\":\"" + stopReason + "\","
                + "\"usage\":{\"input_tokens\":120,\"output_tokens\":340,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":2000}}";
    }
}

package dev.brun.run;

import dev.brun.cli.CliRun;
import dev.brun.llm.AdaptiveConcurrency;
import dev.brun.llm.LlmClient;
import dev.brun.llm.Resilience;
import dev.brun.llm.RetryPolicy;
import dev.brun.llm.Sleeper;
import dev.brun.llm.anthropic.AnthropicClient;
import dev.brun.llm.sim.ScriptedResponse;
import dev.brun.pack.Arc;
import dev.brun.plan.PriceTable;
import dev.brun.llm.Usage;
import dev.brun.project.Project;
import dev.brun.store.LedgerOutcome;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Projects, clients and provider replies shared by the engine tests. */
final class EngineFixtures {
    static final String API_KEY = "sk-ant-test-0123456789abcdef";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private EngineFixtures() {}

    /** brun init + brun plan --only ONLY, exactly as a user would type them; returns the project folder. */
    static Path plannedProject(Path dir, String only) {
        CliRun init = CliRun.of("init", dir.toString());
        assertThat(init.exitCode()).as(init.err()).isZero();
        CliRun plan = only == null ? CliRun.of("plan", "--project", dir.toString())
                : CliRun.of("plan", "--project", dir.toString(), "--only", only);
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        return dir;
    }

    /** A copy of a closed project folder (the database file included), so tests do not pay for init each time. */
    static Path copy(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** Fast retries so fault tests take milliseconds; the retry-after a server sends is still honoured. */
    static Resilience fastResilience(int maxAttempts) {
        return Resilience.of(new RetryPolicy(maxAttempts, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(5)),
                AdaptiveConcurrency.fixed(8), Clock.systemUTC(), Sleeper.SYSTEM);
    }

    static LlmClient anthropic(URI base, Duration timeout, Resilience resilience) {
        return new AnthropicClient(base, API_KEY, timeout, resilience);
    }

    static GenerationEngine engine(Project project, LlmClient client, EngineSettings settings) {
        return GenerationRuns.engine(project, client, settings, ProgressListener.NONE, ConversationHook.NONE, null);
    }

    /** A conversation that satisfies the contract for this arc: minimum exchanges, one stage per reply. */
    static ObjectNode validConversation(Arc arc) {
        ObjectNode c = JSON.createObjectNode();
        c.put("session_context", "A first meeting about a money question the client has put off for months.");
        c.put("expected_outcome", "The client leaves with one concrete next step and less worry.");
        ArrayNode turns = c.putArray("turns");
        List<String> stages = arc.stageKeys();
        for (int i = 0; i < arc.minExchanges(); i++) {
            ObjectNode user = turns.addObject();
            user.put("role", "user");
            user.put("content", "I honestly do not know where to start with this, part " + (i + 1) + ".");
            user.putObject("emotion").put("primary", arc.startEmotion()).put("secondary", "worry")
                    .put("intensity", 0.7).put("confidence", 0.8).put("valence", "negative");
            ObjectNode assistant = turns.addObject();
            assistant.put("role", "assistant");
            assistant.put("content", "That is a very common question, and a good one. Let us take it one step at a time.");
            assistant.put("phase", stages.get(Math.min(i, stages.size() - 1)));
            assistant.put("learning_objective", "Normalise the question and break it into steps.");
            assistant.putArray("skills").add("normalizing").add("breaking down complexity");
        }
        return c;
    }

    /** A 200 Messages reply holding one submit_conversation tool_use with this input. */
    static ScriptedResponse toolUse(Object input, String stopReason) {
        return ScriptedResponse.json(200, message("[{\"type\":\"tool_use\",\"id\":\"toolu_t\",\"name\":\"submit_conversation\",\"input\":"
                + input + "}]", stopReason, 900));
    }

    /** A 200 Messages reply with only text content (no tool_use). */
    static ScriptedResponse text(String text, String stopReason, long outputTokens) {
        ObjectNode block = JSON.createObjectNode().put("type", "text").put("text", text);
        return ScriptedResponse.json(200, message("[" + block + "]", stopReason, outputTokens));
    }

    static ScriptedResponse emptyContent() {
        return ScriptedResponse.json(200, message("[]", "end_turn", 0));
    }

    static String message(String content, String stopReason, long outputTokens) {
        return "{\"id\":\"msg_t\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":"
                + content + ",\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":500,\"output_tokens\":" + outputTokens
                + ",\"cache_creation_input_tokens\":1800,\"cache_read_input_tokens\":0}}";
    }

    /** What the ledger should hold for a scripted reply's usage, recomputed from the published price table. */
    static double scriptedCost(long outputTokens) {
        return PriceTable.defaults().cost("claude-sonnet-4-5", new Usage(500, outputTokens, 0, 1800), false);
    }

    static List<LedgerOutcome> outcomes(Project project, String unitKey) {
        return project.db().ledger().forUnit(unitKey).stream().map(e -> e.outcome()).toList();
    }
}

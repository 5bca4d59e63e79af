package dev.brun.run;

import dev.brun.llm.LlmClient;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.RecordedRequest;
import dev.brun.llm.sim.ScriptedResponse;
import dev.brun.project.Project;
import dev.brun.store.ConversationFilter;
import dev.brun.store.QualityDao;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake Anthropic server answering the tool brun sends in two ways a model might: from the tool schema alone
 * (random values the schema allows, turns alternating as its description says) and following the unit's prose
 * (its own stages and exchange range). Every billed reply that can be training data must end stored.
 */
class SchemaOnlyRepliesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern STAGE = Pattern.compile("(?m)^  - ([a-z0-9_]+): ");
    private static final Pattern EXCHANGES = Pattern.compile("- Exchanges: between (\\d+) and (\\d+)");

    @TempDir Path tmp;

    @Test
    void schemaOnlyRepliesAreRepairedAndKeptWithAFlag() {
        Result r = run("schema", (req, rnd) -> schemaOnly(req, rnd));
        assertThat(r.billed()).isPositive();
        assertThat((double) r.stored() / r.billed()).as("stored share of billed replies").isGreaterThanOrEqualTo(0.95);
        assertThat(r.repairedFlags()).as("repairs are flagged").isPositive();
    }

    @Test
    void proseFollowingRepliesAreAllStoredWithoutRepairs() {
        Result r = run("prose", (req, rnd) -> proseFollowing(req, rnd));
        assertThat(r.stored()).isEqualTo(r.billed()).isPositive();
        assertThat(r.repairedFlags()).isZero();
    }

    private record Result(long billed, long stored, long repairedFlags) {}

    private Result run(String name, BiFunction<RecordedRequest, Random, JsonNode> answer) {
        Path dir = EngineFixtures.plannedProject(tmp.resolve(name), "persona=overwhelmed_avoider");
        Random rnd = new Random(7);
        try (Project project = Project.open(dir); FakeProviderServer server = new FakeProviderServer()) {
            server.start();
            server.respondWith(FakeProviderServer.MESSAGES, req -> {
                JsonNode input;
                synchronized (rnd) {
                    input = answer.apply(req, rnd);
                }
                return EngineFixtures.toolUse(input, "tool_use");
            });
            LlmClient client = EngineFixtures.anthropic(server.baseUrl(), Duration.ofSeconds(10), EngineFixtures.fastResilience(3));
            EngineFixtures.engine(project, client, EngineSettings.defaults().withWorkers(8)).run();
            long billed = project.db().ledger().totals().calls();
            long stored = project.db().conversations().count(ConversationFilter.all());
            long repaired = project.db().quality().flagCountsByCode().getOrDefault(QualityDao.REPAIRED, 0L);
            long discarded = project.db().units().discardedByReason().stream().mapToLong(d -> d.replies()).sum();
            assertThat(discarded).as("every billed reply not stored is counted as discarded spend").isEqualTo(billed - stored);
            System.out.printf("%s mode: %d billed, %d stored, %d repaired%n", name, billed, stored, repaired);
            return new Result(billed, stored, repaired);
        }
    }

    /** Random values within the tool's input schema: any phase of the enum, any turn count, optional fields at random. */
    private static JsonNode schemaOnly(RecordedRequest req, Random rnd) {
        JsonNode schema = req.json().path("tools").get(0).path("input_schema");
        List<String> phases = new ArrayList<>();
        schema.path("properties").path("turns").path("items").path("properties").path("phase").path("enum").forEach(p -> phases.add(p.asString()));
        ObjectNode c = JSON.createObjectNode();
        c.put("session_context", rnd.nextInt(10) == 0 ? "" : "ctx " + rnd.nextInt());
        c.put("expected_outcome", "outcome " + rnd.nextInt());
        ArrayNode turns = c.putArray("turns");
        int n = Math.max(schema.path("properties").path("turns").path("minItems").asInt(2), 2 + rnd.nextInt(15));
        for (int i = 0; i < n; i++) {
            ObjectNode t = turns.addObject();
            boolean user = i % 2 == 0;
            t.put("role", user ? "user" : "assistant").put("content", "words " + rnd.nextInt());
            if (user && rnd.nextInt(5) > 0)
                t.putObject("emotion").put("primary", rnd.nextBoolean() ? "" : "worry").put("secondary", "x")
                        .put("intensity", rnd.nextDouble()).put("confidence", rnd.nextDouble())
                        .put("valence", List.of("positive", "negative", "mixed").get(rnd.nextInt(3)));
            if (!user) {
                if (rnd.nextInt(5) > 0) t.put("phase", phases.get(rnd.nextInt(phases.size())));
                if (rnd.nextBoolean()) t.put("learning_objective", "lo " + rnd.nextInt());
                if (rnd.nextBoolean()) t.putArray("skills").add(rnd.nextBoolean() ? "" : "skill");
            }
        }
        return c;
    }

    /** What the unit's prose asks: its own stages in order, an exchange count inside its range, every field. */
    private static JsonNode proseFollowing(RecordedRequest req, Random rnd) {
        StringBuilder system = new StringBuilder();
        req.json().path("system").forEach(b -> system.append(b.path("text").asString()).append('\n'));
        String unitBlock = system.substring(system.lastIndexOf("### Emotional arc"));
        List<String> stages = new ArrayList<>();
        Matcher m = STAGE.matcher(unitBlock);
        while (m.find()) stages.add(m.group(1));
        Matcher ex = EXCHANGES.matcher(unitBlock);
        assertThat(ex.find()).isTrue();
        int min = Integer.parseInt(ex.group(1)), max = Integer.parseInt(ex.group(2));
        int exchanges = min + rnd.nextInt(max - min + 1);
        ObjectNode c = JSON.createObjectNode();
        c.put("session_context", "A client asks for help.");
        c.put("expected_outcome", "The client leaves calmer.");
        ArrayNode turns = c.putArray("turns");
        for (int i = 0; i < exchanges; i++) {
            turns.addObject().put("role", "user").put("content", "question " + i)
                    .putObject("emotion").put("primary", "worry").put("secondary", "doubt").put("intensity", 0.6)
                    .put("confidence", 0.7).put("valence", "negative");
            ObjectNode a = turns.addObject().put("role", "assistant").put("content", "answer " + i)
                    .put("phase", stages.get(Math.min(stages.size() - 1, i * stages.size() / exchanges)))
                    .put("learning_objective", "one step");
            a.putArray("skills").add("validates emotion");
        }
        return c;
    }
}

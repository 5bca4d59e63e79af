package dev.brun.cli;

import dev.brun.eval.HeldOutSet;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.project.Project;
import dev.brun.run.ProviderConnection;
import dev.brun.store.StoredConversation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * brun eval and brun fill --from-eval end to end: two "adapters" behind fake OpenAI-compatible servers, one in
 * the consultant's voice everywhere, one that lectures on one topic; a fake judge as the project's provider.
 */
class EvalCommandTest {
    @TempDir Path dir;
    private EvalFixture fx;
    private final List<FakeProviderServer> servers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new EvalFixture(dir);
        System.setProperty(ProviderConnection.OPENAI_BASE_URL_PROPERTY, fx.judgeUrl());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(ProviderConnection.OPENAI_BASE_URL_PROPERTY);
        servers.forEach(FakeProviderServer::close);
        fx.close();
    }

    private FakeProviderServer adapter(String weakTopic) {
        FakeProviderServer s = fx.adapter(weakTopic);
        servers.add(s);
        return s;
    }

    private CliRun brun(String... args) { return TestProject.run(fx.project, args); }

    private static JsonNode json(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return TestProject.json(run.out());
    }

    /** The topic of the first held-out conversation: the one the poor adapter is made weak on. */
    private String heldOutTopic() {
        HeldOutSet set = HeldOutSet.read(HeldOutSet.latestExport(fx.project.resolve("exports")), "validation");
        try (Project p = Project.open(fx.project)) {
            StoredConversation c = p.db().conversations().find(set.conversationIds().getFirst()).orElseThrow();
            return c.conversation().scaffolding().topicKey();
        }
    }

    @Test
    void ranksThePlantedTopicWeakestWinRatesDifferAndFillTargetsThatTopicOnly() throws Exception {
        String weak = heldOutTopic();
        FakeProviderServer good = adapter(null);
        FakeProviderServer poor = adapter(weak);

        JsonNode goodRun = json(brun("eval", "--endpoint", EvalFixture.url(good), "--model", "good-lora", "--judge", EvalFixture.JUDGE_MODEL, "--json"));
        Path html = dir.resolve("report.html");
        CliRun poorCli = brun("eval", "--endpoint", EvalFixture.url(poor), "--model", "poor-lora",
                "--baseline-endpoint", EvalFixture.url(good), "--baseline-model", "good-lora",
                "--judge", EvalFixture.JUDGE_MODEL, "--json", "--html", html.toString());
        JsonNode poorRun = json(poorCli);
        assertThat(poorCli.err()).as("the estimate comes before the work").contains("judge call(s)").contains("at most $");

        assertThat(goodRun.path("complete").asBoolean()).isTrue();
        assertThat(poorRun.path("complete").asBoolean()).isTrue();
        JsonNode poorTopics = poorRun.at("/models/adapter/cells/topic");
        assertThat(poorTopics.get(0).path("key").asString()).as("the planted topic ranks weakest").isEqualTo(weak);
        assertThat(poorTopics.get(0).path("score").asDouble()).isLessThan(poorTopics.get(1).path("score").asDouble());
        assertThat(poorTopics.get(0).path("win_rate_vs_teacher").asDouble()).isLessThan(poorTopics.get(1).path("win_rate_vs_teacher").asDouble());
        assertThat(poorTopics.get(0).at("/worst_example/reply").asString()).isEqualTo(EvalFixture.LECTURE);
        assertThat(poorRun.at("/models/adapter/win_rate_vs_teacher").asDouble())
                .as("the poor adapter wins less often against the teacher than the good one")
                .isLessThan(goodRun.at("/models/adapter/win_rate_vs_teacher").asDouble());
        assertThat(poorRun.at("/models/baseline/score").asDouble()).isGreaterThan(poorRun.at("/models/adapter/score").asDouble());
        assertThat(poorRun.at("/manifest/endpoint").asString()).isEqualTo(EvalFixture.url(poor));

        String page = Files.readString(html);
        assertThat(page).contains("Did the adapter learn the voice?").contains(weak).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>").contains("<b>baseline</b>");

        // the same command again is the same run: nothing is asked or judged twice
        int adapterCalls = poor.requests(FakeProviderServer.CHAT_COMPLETIONS).size();
        int judgeCalls = fx.judge.requests(FakeProviderServer.CHAT_COMPLETIONS).size();
        JsonNode again = json(brun("eval", "--endpoint", EvalFixture.url(poor), "--model", "poor-lora",
                "--baseline-endpoint", EvalFixture.url(good), "--baseline-model", "good-lora", "--judge", EvalFixture.JUDGE_MODEL, "--json"));
        assertThat(again.path("run").asString()).isEqualTo(poorRun.path("run").asString());
        assertThat(again.at("/calls/replies").asInt()).isZero();
        assertThat(again.at("/calls/judge").asInt()).isZero();
        assertThat(poor.requests(FakeProviderServer.CHAT_COMPLETIONS)).hasSize(adapterCalls);
        assertThat(fx.judge.requests(FakeProviderServer.CHAT_COMPLETIONS)).hasSize(judgeCalls);
        try (Project p = Project.open(fx.project)) {
            assertThat(p.db().ledger().spendByPhase().get("eval")).as("judge calls are billed to the ledger").isPositive();
        }

        CliRun text = brun("eval", "--resume", poorRun.path("run").asString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("weakest topic cells (adapter):").contains("example from the weakest topic (" + weak + ")");

        JsonNode list = json(brun("eval", "--list", "--json"));
        assertThat(list).hasSize(2);
        JsonNode compare = json(brun("eval", "--compare", goodRun.path("run").asString(), poorRun.path("run").asString(), "--json"));
        assertThat(compare.path("same_dataset").asBoolean()).isTrue();
        assertThat(compare.path("score_b").asDouble()).isLessThan(compare.path("score_a").asDouble());

        JsonNode byDefault = json(brun("fill", "--from-eval", poorRun.path("run").asString(), "--dry-run", "--json"));
        assertThat(byDefault.path("topics")).as("the default (bottom share, clearly below the overall score) finds the planted topic only")
                .extracting(JsonNode::asString).containsExactly(weak);
        assertThat(byDefault.path("added").asInt()).isZero();
        JsonNode fill = json(brun("fill", "--from-eval", poorRun.path("run").asString(), "--per-cell", "3", "--below", "0.7", "--json"));
        assertThat(fill.path("units").asInt()).isEqualTo(3);
        assertThat(fill.path("added").asInt()).isEqualTo(3);
        assertThat(fill.path("topics")).extracting(JsonNode::asString).containsExactly(weak);
        assertThat(fill.path("estimate").isObject()).isTrue();
        JsonNode goodFill = json(brun("fill", "--from-eval", goodRun.path("run").asString(), "--below", "0.7", "--json", "--dry-run"));
        assertThat(goodFill.path("units").asInt()).as("an adapter good everywhere leaves nothing to fill").isZero();
    }

    @Test
    void theBudgetStopsJudgingAndARerunFinishesWithoutJudgingTwice() throws Exception {
        FakeProviderServer good = adapter(null);
        String[] args = {"eval", "--endpoint", EvalFixture.url(good), "--model", "good-lora", "--judge", EvalFixture.JUDGE_MODEL, "--json"};
        CliRun capped = brun(java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--budget", "0.01")).toArray(String[]::new));
        assertThat(capped.exitCode()).as(capped.err()).isEqualTo(ExitCodes.STOPPED_EARLY);
        assertThat(capped.err()).contains("budget");
        JsonNode partial = TestProject.json(capped.out());
        assertThat(partial.path("complete").asBoolean()).isFalse();
        double spent;
        try (Project p = Project.open(fx.project)) {
            spent = p.db().ledger().spendByPhase().get("eval");
        }
        assertThat(spent).as("the judge spend stays under --budget").isPositive().isLessThanOrEqualTo(0.01 + 1e-9);

        JsonNode done = json(brun(args));
        assertThat(done.path("complete").asBoolean()).isTrue();
        try (Project p = Project.open(fx.project)) {
            long verdicts = p.db().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM eval_judgements").mapTo(Long.class).one());
            assertThat(fx.judge.requests(FakeProviderServer.CHAT_COMPLETIONS)).as("each verdict asked for once over both commands").hasSize((int) verdicts);
        }
        // the model was asked with the export's training system prompt and the recorded history, ending on the client's turn
        JsonNode first = good.requests(FakeProviderServer.CHAT_COMPLETIONS).getFirst().json();
        HeldOutSet set = HeldOutSet.read(HeldOutSet.latestExport(fx.project.resolve("exports")), "validation");
        assertThat(first.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(first.at("/messages/0/content").asString()).isEqualTo(set.systemPrompt());
        JsonNode messages = first.path("messages");
        assertThat(messages.get(messages.size() - 1).path("role").asString()).isEqualTo("user");
    }

    @Test
    void withoutAnEndpointOrWithAnUnknownRunItIsBadInput() {
        CliRun none = brun("eval");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--endpoint");
        CliRun unknown = brun("fill", "--from-eval", "eval-nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no eval run eval-nope");
    }
}

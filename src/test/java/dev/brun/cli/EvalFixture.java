package dev.brun.cli;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.RecordedRequest;
import dev.brun.llm.sim.ScriptedResponse;
import dev.brun.project.Project;
import dev.brun.store.ConversationFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small exported project and the fake OpenAI-compatible servers an eval talks to: "adapters" that answer in
 * the consultant's voice (asking before teaching) everywhere or everywhere but one topic, and a judge that
 * prefers replies that ask permission. The judge is the project's provider (provider: openai).
 */
final class EvalFixture implements AutoCloseable {
    static final String GOOD = "That sounds really hard, and it makes sense you feel this way. "
            + "Would it help if we looked at one small step together?";
    /** Skips permission and feelings, teaches at once; carries markup that reports must escape. */
    static final String LECTURE = "Here is how it works. <script>alert(1)</script> You should save 20% of income. "
            + "Step one: list 12 expenses. Step two: save 500 dollars. The rule is that interest compounds.\n"
            + "- cut subscriptions\n- automate savings\n- open a high-yield account";
    static final String JUDGE_MODEL = "judge-model";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final Path project;
    final FakeProviderServer judge = new FakeProviderServer();
    final Map<String, String> topicByFirstUserTurn = new HashMap<>();

    EvalFixture(Path dir) throws IOException {
        project = dir.resolve("p");
        String p = project.toString();
        assertThat(CliRun.of("init", p, "--pack", "financial-planning").exitCode()).isZero();
        assertThat(CliRun.of("plan", "--project", p, "--only", "persona=pragmatic_optimist,arc=grief_to_healing").exitCode()).isZero();
        CliRun gen = CliRun.of("generate", "--project", p, "--provider", "simulated");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        CliRun export = CliRun.of("export", "--project", p, "--allow-simulated", "--only", "all", "--split", "0.5", "--format", "v4-jsonl");
        assertThat(export.exitCode()).as(export.err()).isZero();
        try (Project proj = Project.open(project)) {
            proj.db().conversations().streamAll(ConversationFilter.all(), s ->
                    topicByFirstUserTurn.put(s.conversation().turns().getFirst().content(), s.conversation().scaffolding().topicKey()));
        }
        Path yaml = project.resolve("brun.yaml");
        String text = Files.readString(yaml, StandardCharsets.UTF_8);
        text = text.replaceFirst("(?m)^provider: \\S+", "provider: openai")
                .replaceFirst("(?m)^prices:\\n", "prices:\n  " + JUDGE_MODEL + ": {input: 1.00, output: 2.00}\n");
        Files.writeString(yaml, text, StandardCharsets.UTF_8);
        judge.respondWith(FakeProviderServer.CHAT_COMPLETIONS, EvalFixture::judgeAnswer);
        judge.start();
    }

    /** The base URL the project's openai provider (the judge) is reached at. */
    String judgeUrl() { return judge.baseUrl().resolve("/v1").toString(); }

    /** An adapter server: GOOD everywhere except weakTopic (null: nowhere), where it lectures. */
    FakeProviderServer adapter(String weakTopic) {
        FakeProviderServer s = new FakeProviderServer();
        s.respondWith(FakeProviderServer.CHAT_COMPLETIONS, r -> {
            JsonNode messages = r.json().path("messages");
            String firstUser = "";
            for (JsonNode m : messages) if (m.path("role").asString().equals("user")) { firstUser = m.path("content").asString(); break; }
            String topic = topicByFirstUserTurn.get(firstUser);
            return chat(weakTopic != null && weakTopic.equals(topic) ? LECTURE : GOOD);
        });
        s.start();
        return s;
    }

    static String url(FakeProviderServer s) { return s.baseUrl().resolve("/v1").toString(); }

    /** A judge that likes a reply that asks before teaching: rubric 5 for it, 2 without; pairwise the one that asks. */
    private static ScriptedResponse judgeAnswer(RecordedRequest r) {
        JsonNode messages = r.json().path("messages");
        String system = messages.get(0).path("content").asString();
        String user = messages.get(messages.size() - 1).path("content").asString();
        ObjectNode answer = JSON.createObjectNode();
        if (system.contains("You compare two candidate replies")) {
            int a = user.indexOf("Reply A:\n"), b = user.indexOf("\n\nReply B:\n");
            boolean asksA = user.substring(a, b).contains("Would it help");
            boolean asksB = user.substring(b).contains("Would it help");
            answer.put("better", asksA == asksB ? "tie" : asksA ? "A" : "B");
            answer.put("reason", "asks before teaching");
        } else {
            String last = user.substring(user.lastIndexOf("CONSULTANT: "));
            double score = last.contains("Would it help") ? 5 : 2;
            for (String d : new String[] {"empathy", "clarity", "appropriateness", "brand_voice"}) {
                ObjectNode n = answer.putObject(d);
                n.put("score", score);
                n.putArray("reasons").add("fake judge");
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "judge-" + r.body().hashCode());
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer.toString());
        choice.put("finish_reason", "stop");
        body.putObject("usage").put("prompt_tokens", 400).put("completion_tokens", 60);
        return ScriptedResponse.json(200, body.toString());
    }

    static ScriptedResponse chat(String content) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chat-1");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", "stop");
        body.putObject("usage").put("prompt_tokens", 300).put("completion_tokens", 40);
        return ScriptedResponse.json(200, body.toString());
    }

    @Override
    public void close() { judge.close(); }
}

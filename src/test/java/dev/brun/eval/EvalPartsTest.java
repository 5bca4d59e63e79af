package dev.brun.eval;

import dev.brun.llm.ChatCall;
import dev.brun.llm.LlmException;
import dev.brun.llm.Resilience;
import dev.brun.llm.RetryPolicy;
import dev.brun.llm.AdaptiveConcurrency;
import dev.brun.llm.Sleeper;
import dev.brun.llm.openai.OpenAiClient;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.ScriptedResponse;
import dev.brun.pack.PackLoader;
import dev.brun.pack.Pack;
import dev.brun.plan.GapFiller;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The eval's parts on their own: the chat call on the wire, manifests, pairwise wins and planning for weak cells. */
class EvalPartsTest {
    @Test
    void aChatCallSendsTheSystemPromptAndTheHistoryAndIsRetriedLikeGeneration() {
        try (FakeProviderServer server = new FakeProviderServer()) {
            server.start();
            server.script(FakeProviderServer.CHAT_COMPLETIONS,
                    ScriptedResponse.openAiError(503, "server_error", "busy").withHeader("retry-after", "0"),
                    ScriptedResponse.json(200, "{\"id\":\"c\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Would it help?\"},"
                            + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":3}}"));
            Resilience resilience = Resilience.of(RetryPolicy.DEFAULT, AdaptiveConcurrency.fixed(1), Clock.systemUTC(), Sleeper.SYSTEM);
            OpenAiClient client = new OpenAiClient(server.baseUrl().resolve("/v1"), null, Duration.ofSeconds(10), resilience);
            ReplyModel model = ReplyModel.chat(client, "lora", 0.0, 256);
            ReplyModel.Reply reply = model.reply("You are the consultant.", List.of(new ChatCall.Message("user", "I am worried."),
                    new ChatCall.Message("assistant", "Tell me more."), new ChatCall.Message("user", "About money.")), "t");
            assertThat(reply.text()).isEqualTo("Would it help?");
            assertThat(reply.stopReason()).isEqualTo("max_tokens");
            assertThat(server.requests(FakeProviderServer.CHAT_COMPLETIONS)).hasSize(2);
            JsonNode body = server.requests(FakeProviderServer.CHAT_COMPLETIONS).getLast().json();
            assertThat(body.path("model").asString()).isEqualTo("lora");
            assertThat(body.path("messages")).extracting(m -> m.path("role").asString()).containsExactly("system", "user", "assistant", "user");
            assertThat(body.path("messages").get(0).path("content").asString()).isEqualTo("You are the consultant.");
            assertThat(body.has("response_format")).isFalse();
            assertThat(body.path("temperature").asDouble()).isZero();
        }
    }

    @Test
    void aModelThatKeepsFailingEndsWithTheProviderError() {
        try (FakeProviderServer server = new FakeProviderServer()) {
            server.start();
            server.script(FakeProviderServer.CHAT_COMPLETIONS, ScriptedResponse.openAiError(400, "invalid_request_error", "context too long"));
            OpenAiClient client = new OpenAiClient(server.baseUrl(), null, Duration.ofSeconds(10), Resilience.defaults());
            assertThatThrownBy(() -> client.chat(new ChatCall("m", "", List.of(new ChatCall.Message("user", "hi")), 0, 16, "t")))
                    .isInstanceOf(LlmException.class).hasMessageContaining("context too long");
        }
    }

    @Test
    void aReplyThatLeaksJsonOrIsEmptyLosesItsFormatScore() {
        Pack pack = PackLoader.loadBuiltin("financial-planning");
        var s = new dev.brun.conversation.Scaffolding(pack.personas().getFirst().key(), pack.arcs().getFirst().key(), pack.topics().getFirst().key(), 0, null);
        var c = new dev.brun.conversation.Conversation("c", null, s, null, null, List.of(
                dev.brun.conversation.Turn.user(0, "I feel lost with money.", new dev.brun.conversation.Emotion("anxiety", null, 0.6, 0.8, null)),
                dev.brun.conversation.Turn.assistant(1, "That sounds hard. Would it help to start small?", pack.arcs().getFirst().stageKeys().getFirst(), null, List.of())),
                null, "teacher", "m");
        ReplyScorer scorer = ReplyScorer.standard(dev.brun.quality.VoiceLexicon.defaults());
        assertThat(scorer.score(c, 1, "{\"role\": \"assistant\", \"content\": \"That sounds hard.\"}", pack).flagCodes()).contains(dev.brun.quality.FormatCheck.MARKUP_LEAK);
        assertThat(scorer.score(c, 1, "  ", pack).flagCodes()).contains(dev.brun.quality.FormatCheck.EMPTY_TURN);
        assertThat(scorer.score(c, 1, "", pack).score()).isLessThan(scorer.score(c, 1, "That sounds hard. Would it help to start small?", pack).score());
    }

    @Test
    void manifestsDropCredentialsAndTheSameManifestIsTheSameRun() {
        EvalManifest a = new EvalManifest("http://user:key@host:8000/v1?api_key=secret", "lora", null, null, "/x", "validation", "h", null, 0,
                0, 1024, "s", "j");
        assertThat(a.endpoint()).isEqualTo("http://host:8000/v1");
        assertThat(a.toJson()).doesNotContain("secret").doesNotContain("key@");
        EvalManifest same = EvalManifest.fromJson(a.toJson());
        assertThat(same.runId()).isEqualTo(a.runId());
        EvalManifest otherJudge = new EvalManifest(a.endpoint(), "lora", null, null, "/x", "validation", "h", "claude-haiku-4-5", 0, 0, 1024, "s", "j");
        assertThat(otherJudge.runId()).isNotEqualTo(a.runId());
    }

    @Test
    void aPairwiseWinCountsThePositionTheModelWasShownIn() {
        assertThat(PairwisePrompt.modelWin(PairwisePrompt.Choice.A, true)).isEqualTo(1.0);
        assertThat(PairwisePrompt.modelWin(PairwisePrompt.Choice.A, false)).isEqualTo(0.0);
        assertThat(PairwisePrompt.modelWin(PairwisePrompt.Choice.B, false)).isEqualTo(1.0);
        assertThat(PairwisePrompt.modelWin(PairwisePrompt.Choice.TIE, true)).isEqualTo(0.5);
        assertThat(PairwisePrompt.parse("```json\n{\"better\": \"tie\", \"reason\": \"x\"}\n```", "j")).isEqualTo(PairwisePrompt.Choice.TIE);
        assertThatThrownBy(() -> PairwisePrompt.parse("{\"better\": \"C\"}", "j")).hasMessageContaining("expected A, B or tie");
    }

    @Test
    void weakCellsGetUnitsInCombinationsThatHoldThemPreferringOnesThatHoldSeveral() {
        Pack pack = PackLoader.loadBuiltin("financial-planning");
        String topic = pack.topics().get(2).key();
        String persona = pack.personas().get(1).key();
        var arc = pack.arcs().get(3);
        String stage = arc.stageKeys().getFirst();
        GapFiller filler = new GapFiller(pack);

        var topicOnly = filler.planForCells(List.of(new GapFiller.WeakCell("topic", topic, 0.3)), 4, k -> false);
        assertThat(topicOnly.units()).hasSize(4).allSatisfy(u -> assertThat(u.topicKey()).isEqualTo(topic));
        assertThat(topicOnly.units().stream().map(u -> u.combination()).distinct().count()).as("spread over combinations").isEqualTo(4);

        var both = filler.planForCells(List.of(new GapFiller.WeakCell("topic", topic, 0.3), new GapFiller.WeakCell("persona", persona, 0.4)), 2, k -> false);
        assertThat(both.units()).hasSize(4).allSatisfy(u -> {
            assertThat(u.topicKey()).isEqualTo(topic);
            assertThat(u.personaKey()).isEqualTo(persona);
        });

        var byStage = filler.planForCells(List.of(new GapFiller.WeakCell("stage", stage, 0.2)), 3, k -> false);
        assertThat(byStage.units()).hasSize(3).allSatisfy(u -> assertThat(pack.arc(u.arcKey()).orElseThrow().stageKeys()).contains(stage));

        assertThat(filler.planForCells(List.of(new GapFiller.WeakCell("topic", "no_such_topic", 0.1)), 3, k -> false).units()).isEmpty();
    }
}

package dev.brun.quality;

import dev.brun.WorkFailedException;
import dev.brun.conversation.Scores;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JudgePromptTest {
    private static final String REPLY = """
            {"empathy": {"score": 4.5, "reasons": ["names the fear first"]},
             "clarity": {"score": 4, "reasons": ["one step at a time"]},
             "appropriateness": {"score": 2, "reasons": ["the client says 52, the persona is 42"]},
             "brand_voice": {"score": 3.5, "reasons": ["warm", "a platitude at the end"]}}""";

    @Test
    void rubricCarriesThePackVoiceAndTheTranscript() {
        var pack = TestPack.financialPlanning();
        var c = Fixtures.byId("real-00");
        assertThat(JudgePrompt.system(pack)).contains("Elena Morales, CFP").contains("Always acknowledge feelings before facts")
                .contains("generic platitudes without specifics").contains("brand_voice");
        assertThat(JudgePrompt.user(c, pack)).contains("Client: Jennifer Martinez, 42").contains("CLIENT: I've been trying")
                .contains("CONSULTANT: ");
    }

    @Test
    void schemaIsJsonRequiringAllFourDimensions() {
        var schema = JsonMapper.builder().build().readTree(JudgePrompt.replySchema());
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(n -> required.add(n.asString()));
        assertThat(required).containsExactlyElementsOf(JudgePrompt.DIMENSIONS);
    }

    @Test
    void parsesAReplyIntoScoresWithReasonsAndTheModel() {
        Scores s = JudgePrompt.parse("```json\n" + REPLY + "\n```", "claude-haiku-4-5");
        assertThat(s.empathy()).isEqualTo(4.5);
        assertThat(s.appropriateness()).isEqualTo(2);
        assertThat(s.overall()).isEqualTo(3.5);
        assertThat(s.method()).isEqualTo("judge:claude-haiku-4-5");
        assertThat(s.reasons().get("brand_voice")).containsExactly("warm", "a platitude at the end");
    }

    @Test
    void judgeScorerSendsTheRubricAndParsesTheReply() {
        List<String> seen = new ArrayList<>();
        var scorer = new JudgeScorer((system, user, schema) -> { seen.add(system); seen.add(schema); return REPLY; }, "m");
        Scores s = scorer.score(Fixtures.byId("real-00"), TestPack.financialPlanning(), List.of());
        assertThat(s.clarity()).isEqualTo(4);
        assertThat(seen.get(0)).contains("Score each dimension");
        assertThat(seen.get(1)).isEqualTo(JudgePrompt.replySchema());
    }

    @Test
    void rejectsRepliesThatAreNotJsonOrMissAScoreOrLeaveTheScale() {
        assertThatThrownBy(() -> JudgePrompt.parse("I'd give it a 4.", "m")).isInstanceOf(WorkFailedException.class)
                .hasMessageContaining("did not answer with JSON");
        assertThatThrownBy(() -> JudgePrompt.parse("{\"empathy\": {\"score\": 4}}", "m")).isInstanceOf(WorkFailedException.class)
                .hasMessageContaining("clarity.score");
        assertThatThrownBy(() -> JudgePrompt.parse(REPLY.replace("4.5", "7"), "m")).isInstanceOf(WorkFailedException.class)
                .hasMessageContaining("outside 1-5");
    }
}

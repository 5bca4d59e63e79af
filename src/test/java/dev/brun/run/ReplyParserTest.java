package dev.brun.run;

import dev.brun.conversation.Conversation;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.pack.TinyPacks;
import dev.brun.prompt.UnitSpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyParserTest {
    private static final JsonMapper M = JsonMapper.builder().build();
    private final Pack pack = TinyPacks.of(1, 1, 1, List.of());
    private final UnitSpec unit = new UnitSpec("seed-abc-v0", Phase.SEED, pack.personas().getFirst(),
            pack.arcs().getFirst(), pack.topics().getFirst(), 0);
    private final ReplyParser parser = new ReplyParser();

    static ObjectNode reply(int exchanges) {
        ObjectNode r = M.createObjectNode();
        r.put("session_context", "A nurse worried about her budget.");
        r.put("expected_outcome", "She leaves with one step.");
        ArrayNode turns = r.putArray("turns");
        for (int i = 0; i < exchanges; i++) {
            ObjectNode u = turns.addObject();
            u.put("role", "user").put("content", "Question " + i + "?");
            u.putObject("emotion").put("primary", "worry").put("secondary", "fear").put("intensity", 0.7)
                    .put("confidence", 0.8).put("valence", "negative");
            ObjectNode a = turns.addObject();
            a.put("role", "assistant").put("content", "Answer " + i + ".").put("phase", i == 0 ? "open" : "close")
                    .put("learning_objective", "Explains one step.");
            a.putArray("skills").add("validates emotion");
        }
        return r;
    }

    private String reason(JsonNode input) {
        ReplyVerdict v = parser.parse(input, unit, "simulated", "m");
        return v instanceof ReplyVerdict.Invalid inv ? inv.reason() : "valid";
    }

    @Test
    void validReplyBecomesAConversationWithScaffoldingAndDeterministicId() {
        ReplyVerdict v = parser.parse(reply(4), unit, "simulated", "claude-sonnet-4-5");
        assertThat(v).isInstanceOf(ReplyVerdict.Valid.class);
        Conversation c = ((ReplyVerdict.Valid) v).conversation();
        assertThat(c.id()).isEqualTo("conv-seed-abc-v0");
        assertThat(c.turns()).hasSize(8);
        assertThat(c.turns().get(0).emotion().intensity()).isEqualTo(0.7);
        assertThat(c.turns().get(1).skills()).containsExactly("validates emotion");
        assertThat(c.scaffolding().combination()).isEqualTo("p0|a0|t0");
    }

    @Test
    void exchangeCountOutsideTheArcsRangeIsRejected() {
        assertThat(reason(reply(2))).isEqualTo("turn_count");
        assertThat(reason(reply(6))).isEqualTo("turn_count");
    }

    @Test
    void brokenAlternationEmptyTurnsAndForeignPhasesAreRejected() {
        ObjectNode startsWithAssistant = reply(3);
        ((ArrayNode) startsWithAssistant.get("turns")).remove(0);
        assertThat(reason(startsWithAssistant)).isEqualTo("alternation");

        ObjectNode endsWithUser = reply(3);
        ((ArrayNode) endsWithUser.get("turns")).remove(5);
        assertThat(reason(endsWithUser)).isEqualTo("alternation");

        ObjectNode empty = reply(3);
        ((ObjectNode) empty.get("turns").get(3)).put("content", "   ");
        assertThat(reason(empty)).isEqualTo("empty_turn");

        ObjectNode phase = reply(3);
        ((ObjectNode) phase.get("turns").get(1)).put("phase", "grief_stage");
        assertThat(reason(phase)).isEqualTo("bad_phase");
    }

    @Test
    void missingEmotionOutOfRangeIntensityAndMissingSkillsAreSchemaErrors() {
        ObjectNode noEmotion = reply(3);
        ((ObjectNode) noEmotion.get("turns").get(0)).remove("emotion");
        assertThat(reason(noEmotion)).isEqualTo("schema");

        ObjectNode intensity = reply(3);
        ((ObjectNode) intensity.get("turns").get(2).get("emotion")).put("intensity", 1.5);
        assertThat(reason(intensity)).isEqualTo("schema");

        ObjectNode skills = reply(3);
        ((ObjectNode) skills.get("turns").get(1)).putArray("skills");
        assertThat(reason(skills)).isEqualTo("schema");

        assertThat(reason(M.createArrayNode())).isEqualTo("schema");
        ObjectNode noContext = reply(3);
        noContext.remove("session_context");
        assertThat(reason(noContext)).isEqualTo("schema");
    }
}

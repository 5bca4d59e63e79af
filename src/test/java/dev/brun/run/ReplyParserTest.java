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
    private final ReplyParser parser = new ReplyParser(pack);

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
    void schemaValidDeviationsAreRepairedAndNamed() {
        ReplyVerdict shortOne = parser.parse(reply(2), unit, "simulated", "m");
        assertThat(shortOne).isInstanceOf(ReplyVerdict.Valid.class);
        assertThat(((ReplyVerdict.Valid) shortOne).repairs()).singleElement().asString().contains("kept as submitted");

        ObjectNode messy = reply(3);
        ((ObjectNode) messy.get("turns").get(1)).put("phase", "grief_stage");
        ((ObjectNode) messy.get("turns").get(0)).remove("emotion");
        ((ObjectNode) messy.get("turns").get(3)).put("content", "   ");
        ((ObjectNode) messy.get("turns").get(5)).putArray("skills");
        messy.remove("session_context");
        ReplyVerdict.Valid v = (ReplyVerdict.Valid) parser.parse(messy, unit, "simulated", "m");
        assertThat(v.conversation().turns()).hasSize(4);
        assertThat(v.conversation().assistantTurns()).allSatisfy(t -> assertThat(pack.arcs().getFirst().stageKeys()).contains(t.phase()));
        assertThat(v.repairs()).hasSizeGreaterThanOrEqualTo(5);

        ObjectNode startsWithAssistant = reply(3);
        ((ArrayNode) startsWithAssistant.get("turns")).remove(0);
        assertThat(reason(startsWithAssistant)).isEqualTo("valid");
    }

    @Test
    void repliesWithNoAnsweredUserMessageOrNoTurnsAreDiscarded() {
        ObjectNode onlyUsers = reply(1);
        ((ArrayNode) onlyUsers.get("turns")).remove(1);
        assertThat(reason(onlyUsers)).isEqualTo("no_exchange");
        assertThat(reason(M.createArrayNode())).isEqualTo("schema");
        ObjectNode noTurns = reply(3);
        noTurns.remove("turns");
        assertThat(reason(noTurns)).isEqualTo("schema");
    }
}

package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Turn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LengthOutliersTest {
    @Test
    void flagsRepliesFarShorterOrLongerThanTheirCombinationsOthers() {
        List<Conversation> real = Fixtures.all().stream().filter(f -> f.conversation().id().startsWith("real-"))
                .map(Fixtures.Labelled::conversation).toList();
        // put every real conversation in one combination, then cut one reply to three words
        List<Conversation> group = new ArrayList<>();
        for (Conversation c : real) group.add(new Conversation(c.id(), c.id(), real.getFirst().scaffolding(), null, null, c.turns(), c.source(), null, null));
        Conversation victim = group.get(5);
        List<Turn> turns = new ArrayList<>(victim.turns());
        turns.set(3, turns.get(3).withContent("Yes, exactly that."));
        group.set(5, victim.withTurns(turns));

        var flags = ConversationChecker.standard().checkGroup(group, TestPack.financialPlanning());

        var outliers = flags.entrySet().stream().flatMap(e -> e.getValue().stream().filter(f -> f.code().equals("length_outlier"))
                .map(f -> e.getKey() + "@" + f.turnIndex())).toList();
        // besides the planted one, the reference data itself has a middle reply of 691 words where the median is
        // far lower; its 657-word closing reply is long but in line with the other closing replies
        assertThat(outliers).containsExactlyInAnyOrder(victim.id() + "@3", "real-02@7");
        assertThat(flags.get(victim.id())).filteredOn(f -> f.code().equals("length_outlier"))
                .singleElement().satisfies(f -> assertThat(f.reason()).contains("3 words").contains("shorter"));
        assertThat(flags).hasSize(group.size());
    }

    @Test
    void aShortClosingTurnIsComparedWithOtherClosingsNotWithLongMiddleTurns() {
        Conversation template = Fixtures.byId("real-00");
        String longTurn = "word ".repeat(160).strip();
        List<Conversation> group = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<Turn> turns = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                boolean closingUser = k == 6;
                Turn base = template.turns().get(k % 2);
                turns.add(base.withContent(closingUser ? "Thank you, that really helps. I feel ready now." : longTurn + " " + i));
            }
            group.add(new Conversation("c" + i, "c" + i, template.scaffolding(), null, null, reindexed(turns), template.source(), null, null));
        }
        assertThat(new LengthOutliers().check(group)).as("every closing is short: none is an outlier").isEmpty();

        // a middle turn cut short still stands out among the middle turns
        Conversation victim = group.get(3);
        List<Turn> cut = new ArrayList<>(victim.turns());
        cut.set(2, cut.get(2).withContent("Okay."));
        group.set(3, victim.withTurns(cut));
        assertThat(new LengthOutliers().check(group)).containsOnlyKeys("c3")
                .extractingByKey("c3").satisfies(f -> assertThat(f).singleElement()
                        .satisfies(flag -> assertThat(flag.reason()).contains("Middle user turn of 1 words").contains("shorter")));
    }

    private static List<Turn> reindexed(List<Turn> turns) {
        List<Turn> out = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            out.add(new Turn(i, t.role(), t.content(), t.emotion(), t.phase(), t.learningObjective(), t.skills()));
        }
        return out;
    }

    @Test
    void smallGroupsAreNotJudged() {
        var c = Fixtures.byId("real-00");
        assertThat(new LengthOutliers().check(List.of(c))).isEmpty();
    }
}

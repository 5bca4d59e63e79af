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
        // besides the planted one, the reference data itself has two replies of 691 and 657 words where the median is 338
        assertThat(outliers).containsExactlyInAnyOrder(victim.id() + "@3", "real-02@7", "real-14@5");
        assertThat(flags.get(victim.id())).filteredOn(f -> f.code().equals("length_outlier"))
                .singleElement().satisfies(f -> assertThat(f.reason()).contains("3 words").contains("shorter"));
        assertThat(flags).hasSize(group.size());
    }

    @Test
    void smallGroupsAreNotJudged() {
        var c = Fixtures.byId("real-00");
        assertThat(new LengthOutliers().check(List.of(c))).isEmpty();
    }
}

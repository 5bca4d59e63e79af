package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Scaffolding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiversityMetricsTest {
    private static List<Conversation> real() {
        return Fixtures.all().stream().filter(f -> f.conversation().id().startsWith("real-")).map(Fixtures.Labelled::conversation).toList();
    }

    private static Conversation inCombination(Conversation c, String id, String combination) {
        String[] k = combination.split("\\|");
        return new Conversation(id, id, new Scaffolding(k[0], k[1], k[2], 0, "seed"), null, null, c.turns(), c.source(), null, null);
    }

    @Test
    void flagsACombinationWhoseVariationsAreNearCopiesAndNotOneWithDistinctConversations() {
        List<Conversation> all = new ArrayList<>();
        Conversation base = real().getFirst();
        for (int i = 0; i < 4; i++) {
            all.add(inCombination(MinHashDeduplicatorTest.paraphrase(base, "x"), "copy-" + i, "p|a|copies"));
        }
        List<Conversation> distinct = real().subList(1, 5);
        for (int i = 0; i < distinct.size(); i++) all.add(inCombination(distinct.get(i), "distinct-" + i, "p|a|distinct"));

        var report = new DiversityMetrics().measure(all);

        assertThat(report.flags()).containsOnlyKeys("p|a|copies");
        assertThat(report.flags().get("p|a|copies").code()).isEqualTo("low_diversity");
        assertThat(report.flags().get("p|a|copies").reason()).contains("first user messages are 100% alike").contains("openings");
        var copies = report.perCombination().stream().filter(d -> d.scope().equals("p|a|copies")).findFirst().orElseThrow();
        var spread = report.perCombination().stream().filter(d -> d.scope().equals("p|a|distinct")).findFirst().orElseThrow();
        assertThat(copies.distinct2()).isLessThan(spread.distinct2());
        assertThat(spread.firstUserSimilarity()).isLessThan(0.2);
        assertThat(report.overall().conversations()).isEqualTo(8);
    }

    @Test
    void distinctNRisesWithNOnRealText() {
        var d = DiversityMetrics.of("all", real());
        assertThat(d.distinct1()).isLessThan(d.distinct2());
        assertThat(d.distinct2()).isLessThan(d.distinct3());
        assertThat(d.distinct3()).isBetween(0.5, 1.0);
    }

    @Test
    void aSingleConversationIsNeverFlagged() {
        assertThat(new DiversityMetrics().measure(List.of(real().getFirst())).flags()).isEmpty();
    }
}

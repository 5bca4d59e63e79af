package dev.brun.quality;

import dev.brun.conversation.Scores;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeuristicScorerTest {
    private final ConversationChecker checker = ConversationChecker.standard();
    private final HeuristicScorer scorer = new HeuristicScorer();
    private final dev.brun.pack.Pack pack = TestPack.financialPlanning();

    private Scores score(String id) {
        var c = Fixtures.all().stream().filter(f -> f.conversation().id().equals(id)).findFirst().orElseThrow().conversation();
        return scorer.score(c, pack, checker.check(c, pack));
    }

    @Test
    void cleanRealConversationScoresHighAndSaysWhy() {
        Scores s = score("real-16");
        assertThat(s.method()).isEqualTo("heuristic");
        assertThat(s.empathy()).isGreaterThanOrEqualTo(4);
        assertThat(s.appropriateness()).isEqualTo(5);
        assertThat(s.overall()).isGreaterThanOrEqualTo(3.8);
        assertThat(s.reasons()).containsKeys("empathy", "clarity", "appropriateness", "brand_voice");
        assertThat(s.reasons().get("empathy")).anyMatch(r -> r.contains("acknowledges feelings"));
    }

    @Test
    void judgmentLowersEmpathyAndBrandVoiceBelowTheCleanOriginal() {
        Scores clean = score("real-10");
        Scores judged = score("c-judgment-1");
        assertThat(judged.empathy()).isLessThan(clean.empathy());
        assertThat(judged.brandVoice()).isLessThan(clean.brandVoice());
        assertThat(judged.reasons().get("brand_voice")).anyMatch(r -> r.contains("you should have"));
    }

    @Test
    void errorFlagsCapTheOverallScore() {
        Scores truncated = score("c-truncated-1");
        assertThat(truncated.appropriateness()).isLessThanOrEqualTo(3.5);
        assertThat(truncated.overall()).isLessThanOrEqualTo(2.5);
        assertThat(truncated.reasons().get("overall")).singleElement().asString().contains("error flags");
    }

    @Test
    void scoresAreDeterministicAndWithinOneToFive() {
        for (var f : Fixtures.all()) {
            var flags = checker.check(f.conversation(), pack);
            Scores a = scorer.score(f.conversation(), pack, flags);
            Scores b = scorer.score(f.conversation(), pack, flags);
            assertThat(a).isEqualTo(b);
            for (double v : new double[] {a.empathy(), a.clarity(), a.appropriateness(), a.brandVoice(), a.overall()}) {
                assertThat(v).as(f.conversation().id()).isBetween(1.0, 5.0);
            }
        }
    }
}

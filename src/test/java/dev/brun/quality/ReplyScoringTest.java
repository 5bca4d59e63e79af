package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Turn;
import dev.brun.eval.CellRanking;
import dev.brun.eval.ReplyScore;
import dev.brun.eval.ReplyScorer;
import dev.brun.pack.Pack;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The eval's single-reply scoring with the pack's voice checks (here: it needs the quality tests' pack). */
class ReplyScoringTest {
    private static final String GOOD = "That sounds really stressful, and it makes sense you feel anxious about it. "
            + "Would it help if I walked you through how an emergency fund works?";
    private static final String LECTURE = "Here is how it works. An emergency fund should cover 3 to 6 months. "
            + "Step one: list 12 expenses. Step two: save 500 dollars. The rule is that you should save 20% of income, because interest compounds.\n"
            + "- cut subscriptions\n- automate savings\n- open a high-yield account";

    private static Conversation recorded(String id, String topic) {
        Emotion worried = new Emotion("anxiety", null, 0.7, 0.8, null);
        return new Conversation(id, "u-" + id, new Scaffolding("anxious_planner", "crisis_to_stability", topic, 0, null), null, null,
                List.of(Turn.user(0, "I have no savings and my car just broke down. I'm panicking.", worried),
                        Turn.assistant(1, GOOD, "acknowledge", null, List.of())),
                null, "teacher", "teacher-model");
    }

    @Test
    void aReplyThatTeachesWithoutAskingScoresBelowOneThatAsksAndItsTopicRanksWeakest() {
        Pack pack = TestPack.financialPlanning();
        ReplyScorer scorer = ReplyScorer.standard(VoiceLexicon.defaults());
        List<ReplyScore> scores = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            scores.add(scorer.score(recorded("a" + i, "budgeting"), 1, GOOD, pack));
            scores.add(scorer.score(recorded("b" + i, "emergency_fund"), 1, LECTURE, pack));
        }
        assertThat(scores.get(0).score()).isEqualTo(1.0);
        assertThat(scores.get(1).flagCodes()).contains(VoiceCheck.NO_PERMISSION, VoiceCheck.FACTS_BEFORE_FEELINGS);
        assertThat(scores.get(1).score()).isLessThan(scores.get(0).score());
        assertThat(scores.get(1).teacherReply()).isEqualTo(GOOD);

        List<CellRanking.Cell> topics = CellRanking.weakestFirst(scores, CellRanking.Dimension.TOPIC);
        assertThat(topics).extracting(CellRanking.Cell::key).containsExactly("emergency_fund", "budgeting");
        assertThat(topics.getFirst().replies()).isEqualTo(3);
        assertThat(topics.getFirst().worst().reply()).isEqualTo(LECTURE);
        // one persona holds both topics: its mean sits between them
        assertThat(CellRanking.weakestFirst(scores, CellRanking.Dimension.PERSONA)).singleElement()
                .satisfies(c -> assertThat(c.mean()).isBetween(topics.get(0).mean(), topics.get(1).mean()));
    }

    @Test
    void flagsOnTheRecordedHistoryDoNotCountAgainstTheModelsReply() {
        Pack pack = TestPack.financialPlanning();
        Emotion worried = new Emotion("anxiety", null, 0.7, 0.8, null);
        Conversation c = new Conversation("h", "u-h", new Scaffolding("anxious_planner", "crisis_to_stability", "budgeting", 0, null), null, null,
                List.of(Turn.user(0, "I have no savings and my car just broke down.", worried),
                        Turn.assistant(1, LECTURE, "acknowledge", null, List.of()),
                        Turn.user(2, "Okay, that is a lot.", worried),
                        Turn.assistant(3, LECTURE, "educate", null, List.of())),
                null, "teacher", "teacher-model");
        ReplyScore s = ReplyScorer.standard(VoiceLexicon.defaults()).score(c, 3, GOOD, pack);
        assertThat(s.score()).isEqualTo(1.0);
        assertThat(s.flagCodes()).isEmpty();
        assertThat(s.stage()).isEqualTo("educate");
    }
}

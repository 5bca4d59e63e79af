package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinHashDeduplicatorTest {
    private static final Map<String, String> SYNONYMS = Map.of("really", "truly", "important", "crucial", "help", "support",
            "think", "believe", "feel", "sense", "money", "funds", "plan", "strategy", "both", "each");

    /** Replaces one word in about every 40 with a synonym: the kind of rewording a second sample gives. */
    static Conversation paraphrase(Conversation c, String id) {
        List<Turn> turns = new ArrayList<>();
        for (Turn t : c.turns()) {
            if (!t.isAssistant()) { turns.add(t); continue; }
            String[] words = t.content().split(" ");
            int changed = 0;
            for (int i = 0; i < words.length; i++) {
                String s = SYNONYMS.get(words[i]);
                if (s != null && changed * 40 < i) { words[i] = s; changed++; }
            }
            turns.add(t.withContent(String.join(" ", words)));
        }
        return withId(c.withTurns(turns), id);
    }

    /** The same exchanges in another order. */
    static Conversation shuffled(Conversation c, String id, long seed) {
        List<List<Turn>> exchanges = new ArrayList<>();
        for (int i = 0; i + 1 < c.turns().size(); i += 2) exchanges.add(c.turns().subList(i, i + 2));
        Collections.shuffle(exchanges, new Random(seed));
        List<Turn> turns = new ArrayList<>();
        exchanges.forEach(turns::addAll);
        return withId(c.withTurns(turns), id);
    }

    static Conversation withId(Conversation c, String id) {
        return new Conversation(id, id, c.scaffolding(), c.sessionContext(), c.expectedOutcome(), c.turns(), c.source(), c.provider(), c.model());
    }

    @Test
    void findsPlantedParaphrasesAndShuffledTurnsExactlyAndNothingElse() {
        List<Conversation> real = Fixtures.all().stream().filter(f -> f.conversation().id().startsWith("real-"))
                .map(Fixtures.Labelled::conversation).toList();
        List<Conversation> all = new ArrayList<>(real);
        Set<Set<String>> expected = new HashSet<>();
        for (int k = 0; k < 6; k++) {
            Conversation base = real.get(k * 3);
            Conversation p = paraphrase(base, base.id() + "-paraphrase");
            Conversation s = shuffled(base, base.id() + "-shuffled", k);
            all.add(p);
            all.add(s);
            expected.add(Set.of(base.id(), p.id(), s.id()));
        }
        MinHashDeduplicator dedup = new MinHashDeduplicator();
        // ground truth first: the planted copies really are above the threshold, the real ones far below
        for (Set<String> cluster : expected) {
            List<Conversation> members = all.stream().filter(c -> cluster.contains(c.id())).toList();
            assertThat(dedup.exactJaccard(members.get(0), members.get(1))).isGreaterThanOrEqualTo(0.8);
            assertThat(dedup.exactJaccard(members.get(0), members.get(2))).isGreaterThanOrEqualTo(0.8);
        }
        assertThat(dedup.exactJaccard(real.get(0), real.get(1))).isLessThan(0.2);

        var result = dedup.deduplicate(all, c -> c.id().endsWith("-shuffled") ? 5 : 3);

        Set<Set<String>> found = result.clusters().stream().map(cl -> Set.copyOf(cl.members())).collect(Collectors.toSet());
        assertThat(found).isEqualTo(expected);
        assertThat(result.flags()).hasSize(12);
        for (var cluster : result.clusters()) {
            assertThat(cluster.kept()).endsWith("-shuffled");
            for (String other : cluster.members()) {
                if (other.equals(cluster.kept())) continue;
                QualityFlag f = result.flags().get(other);
                assertThat(f.code()).isEqualTo("near_duplicate");
                assertThat(f.severity()).isEqualTo(Severity.ERROR);
                assertThat(f.relatedConversationId()).isEqualTo(cluster.kept());
                assertThat(f.reason()).contains(cluster.kept()).contains("%");
            }
        }
    }

    @Test
    void keepsTheSmallestIdWhenScoresTie() {
        Conversation a = Fixtures.byId("real-00");
        var result = new MinHashDeduplicator().deduplicate(List.of(withId(a, "b"), withId(a, "a"), withId(a, "c")), c -> 1);
        assertThat(result.clusters()).singleElement().satisfies(cl -> assertThat(cl.kept()).isEqualTo("a"));
        assertThat(result.flags().keySet()).containsExactlyInAnyOrder("b", "c");
    }

    /** One assistant turn of words w(from) .. w(from + 199): windows shifted by s share (198 - s) of 198 + s shingles. */
    static Conversation window(Conversation template, String id, int from) {
        StringBuilder text = new StringBuilder();
        for (int w = from; w < from + 200; w++) text.append(w == from ? "" : " ").append("w").append(w);
        return withId(template.withTurns(List.of(template.turns().get(0), template.turns().get(1).withContent(text.toString()))), id);
    }

    @Test
    void aChainOfNearCopiesDoesNotMakeTheFarEndACopyOfTheKeptOne() {
        Conversation t = Fixtures.byId("real-00");
        // a~b and b~c are about 0.87 similar, a~c only 0.75: c is no copy of a, whatever links them
        Conversation a = window(t, "a", 0), b = window(t, "b", 14), c = window(t, "c", 28);
        var dedup = new MinHashDeduplicator();
        assertThat(dedup.exactJaccard(a, b)).isGreaterThan(0.85);
        assertThat(dedup.exactJaccard(a, c)).isLessThan(0.76);
        var result = dedup.deduplicate(List.of(a, b, c), x -> x.id().equals("a") ? 3 : x.id().equals("b") ? 2 : 1);
        assertThat(result.flags().keySet()).containsExactly("b");
        assertThat(result.flags().get("b").relatedConversationId()).isEqualTo("a");
        assertThat(result.clusters()).singleElement().satisfies(cl -> assertThat(cl.members()).containsExactly("a", "b"));
    }

    @Test
    void conversationsWithoutAssistantTextAreNotDuplicatesOfEachOther() {
        Conversation a = Fixtures.byId("real-00");
        Conversation empty1 = withId(a.withTurns(List.of(a.turns().getFirst())), "e1");
        Conversation empty2 = withId(a.withTurns(List.of(a.turns().getFirst())), "e2");
        assertThat(new MinHashDeduplicator().deduplicate(List.of(empty1, empty2), c -> 0).clusters()).isEmpty();
    }

    @Test
    void bandingMakesAPairAtTheThresholdACandidateAlmostSurely() {
        var s = MinHashDeduplicator.Settings.forThreshold(0.8, 128, 3);
        assertThat(s.bands() * s.rows()).isLessThanOrEqualTo(128);
        assertThat(s.candidateProbability(0.8)).isGreaterThanOrEqualTo(0.99);
        assertThat(s.candidateProbability(0.3)).isLessThan(0.1);
        var strict = MinHashDeduplicator.Settings.forThreshold(0.95, 128, 3);
        assertThat(strict.rows()).isGreaterThan(s.rows());
    }

    @Test
    void aHigherThresholdSplitsLooseParaphrases() {
        Conversation a = Fixtures.byId("real-00");
        Conversation p = paraphrase(a, "p");
        double j = new MinHashDeduplicator().exactJaccard(a, p);
        assertThat(j).isBetween(0.8, 0.99);
        var strict = new MinHashDeduplicator(MinHashDeduplicator.Settings.forThreshold(0.995, 128, 3));
        assertThat(strict.deduplicate(List.of(a, p), c -> 0).clusters()).isEmpty();
        assertThat(new MinHashDeduplicator().deduplicate(List.of(a, p), c -> 0).clusters()).hasSize(1);
    }

    @Test
    void rejectsAThresholdOutsideZeroToOne() {
        assertThatThrownBy(() -> MinHashDeduplicator.Settings.forThreshold(1.5, 128, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
    }
}

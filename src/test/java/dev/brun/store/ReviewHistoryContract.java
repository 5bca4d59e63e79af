package dev.brun.store;

import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Reviewer history and seed lineage queries, the same on every database (V15 migrates on both). */
abstract class ReviewHistoryContract {
    protected Database db;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() { db = openDatabase(); }

    @AfterEach
    void close() { db.close(); }

    private String store(int i, String phase) {
        PlannedUnit u = new PlannedUnit(phase + ":p:a:t:" + i, "packhash", phase, "p", "a", "t", i);
        db.units().insertIfAbsent(List.of(u));
        String id = phase.charAt(0) + "" + i;
        assertThat(db.conversations().storeGenerated(new ConversationRecordBundle(
                StoreContract.conversation(id, u.key(), "p", "case " + i), StoreContract.generation(0.01), false))).isTrue();
        return id;
    }

    @Test
    void lineageJoinsConversationsToTheSeedsTheirUnitCarried() {
        String s1 = store(1, "seed"), s2 = store(2, "seed");
        db.lineage().recordPrompt("expansion:p:a:t:3", List.of(s2));
        db.lineage().recordPrompt("expansion:p:a:t:3", List.of(s2, s1)); // built again: the latest choice replaces it
        db.lineage().recordPrompt("expansion:p:a:t:4", List.of(s1));
        String e3 = store(3, "expansion"), e4 = store(4, "expansion");
        assertThat(db.lineage().seedsOf(e3)).containsExactly(s2, s1);
        assertThat(db.reviewHistory().reviewPosition(s1)).hasValue(0L);
        assertThat(db.reviewHistory().reviewPosition(e4)).hasValue(3L);
        assertThat(db.reviewHistory().reviewPosition("nope")).isEmpty();
        assertThat(db.lineage().seedsOf(s1)).isEmpty();
        assertThat(db.lineage().descendants(s1)).containsExactly(e3, e4);
        assertThat(db.lineage().seedGroups()).containsExactlyInAnyOrderEntriesOf(Map.of(e3, s2 + "+" + s1, e4, s1));
        assertThat(db.lineage().seedGroupOf(e4)).isEqualTo(s1);
        assertThat(db.lineage().seedGroupOf(s2)).isNull();

        // Only an approved seed reaches its descendants; the flag survives a re-check.
        db.reviews().editTurn(s2, 1, "unapproved edit", "ana");
        assertThat(db.quality().flags(e3)).isEmpty();
        db.reviews().setStatus(s2, ReviewStatus.APPROVED, "ana");
        db.reviews().toggleSeed(s2, "ana");
        db.reviews().setStatus(s2, ReviewStatus.REJECTED, "ben");
        assertThat(db.quality().flags(e3)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(LineageDao.SEED_CHANGED);
            assertThat(f.relatedConversationId()).isEqualTo(s2);
            assertThat(f.reason()).contains(s2 + " was rejected by ben");
        });
        assertThat(db.quality().flags(e4)).isEmpty();
        db.quality().replaceFlags(e3, List.of(QualityFlag.of("truncated", Severity.ERROR, "cut", 1)));
        assertThat(db.quality().flags(e3)).extracting(QualityFlag::code).containsExactlyInAnyOrder(LineageDao.SEED_CHANGED, "truncated");
    }

    @Test
    void stratifyingBySeedFollowsLineageAndAChangedSeedReopensTheStratumHoldingItsDescendants() {
        String s1 = store(1, "seed"), s2 = store(2, "seed");
        for (String s : List.of(s1, s2)) {
            db.reviews().setStatus(s, ReviewStatus.APPROVED, "ana");
            db.reviews().toggleSeed(s, "ana");
        }
        List<String> ofS1 = new java.util.ArrayList<>(), ofS2 = new java.util.ArrayList<>();
        for (int i = 10; i < 130; i++) {
            db.lineage().recordPrompt("expansion:p:a:t:" + i, List.of(i < 70 ? s1 : s2));
            (i < 70 ? ofS1 : ofS2).add(store(i, "expansion"));
        }
        var planner = new dev.brun.review.ReviewPlanner(db.reviewPlans());
        var params = new dev.brun.review.PlanParameters(dev.brun.review.StratumDimension.parse(List.of("seed")), 0.05, 0.95, 0, 7, 0);
        var strata = planner.plan(params, false).strata();
        assertThat(strata).extracting(l -> l.stratum().label()).containsExactlyInAnyOrder("seeds " + s1, "seeds " + s2);
        var first = strata.stream().filter(l -> l.stratum().label().equals("seeds " + s1)).findFirst().orElseThrow();
        assertThat(db.reviewPlans().members(first.stratum().id())).extracting(StratumMember::conversationId)
                .containsExactlyInAnyOrderElementsOf(ofS1);
        for (String id : first.sample()) db.reviews().setStatus(id, ReviewStatus.APPROVED, "ben");
        var signOff = new dev.brun.review.SignOff(db.reviewPlans());
        int unread = ofS1.size() - first.sample().size();
        assertThat(unread).isPositive();
        assertThat(signOff.evaluate().orElseThrow().strata()).filteredOn(r -> r.stratum().id() == first.stratum().id())
                .singleElement().satisfies(r -> assertThat(r.newlyAccepted()).isEqualTo(unread));

        // Rejecting the seed flags its descendants: their stratum reopens, the unread ones join its sample and
        // lose their certification until a person reads them; the other seed's stratum is untouched.
        db.reviews().setStatus(s1, ReviewStatus.REJECTED, "ana");
        var after = signOff.evaluate().orElseThrow().strata();
        var reopened = after.stream().filter(r -> r.stratum().id() == first.stratum().id()).findFirst().orElseThrow();
        assertThat(reopened.verdict().label()).isEqualTo("open");
        assertThat(reopened.stratum().sampleSize()).isEqualTo(ofS1.size());
        assertThat(reopened.left()).isEqualTo(unread);
        assertThat(db.conversations().count(ConversationFilter.all().review(ReviewStatus.ACCEPTED))).isZero();
        assertThat(after).filteredOn(r -> r.stratum().id() != first.stratum().id()).singleElement()
                .satisfies(r -> assertThat(r.stratum().sampleSize()).isLessThan(ofS2.size()));
    }

    @Test
    void reviewedConversationsAndEachReviewersVerdictsComeFromTheLog() {
        String a = store(1, "seed"), b = store(2, "seed"), c = store(3, "seed"), d = store(4, "seed");
        db.quality().putScores(a, new Scores(3, 3, 3, 3, 2.5, "heuristic", Map.of()));
        db.quality().replaceFlags(a, List.of(QualityFlag.of("truncated", Severity.ERROR, "cut", 1),
                QualityFlag.of("long", Severity.WARNING, "long", null)));
        db.reviews().setStatus(a, ReviewStatus.REJECTED, "ana");
        db.reviews().setStatus(a, ReviewStatus.APPROVED, "ben");   // ben overrules ana: the final verdict is approved
        db.reviews().editTurn(b, 1, "better", "ana");
        db.reviews().setStatus(b, ReviewStatus.APPROVED, "ana");   // edited then approved: a defect
        db.reviews().setStatus(b, ReviewStatus.APPROVED, "ben");
        db.reviews().setStatus(c, ReviewStatus.APPROVED, "ana");
        db.reviews().setStatus(c, ReviewStatus.PENDING, "ana");    // taken back: no decision
        db.reviews().setStatus(d, ReviewStatus.APPROVED, null);

        assertThat(db.reviewHistory().reviewed()).containsExactly(
                new ReviewedConversation(a, false, Set.of("truncated"), 2.5, "heuristic"),
                new ReviewedConversation(b, true, Set.of(), null, null),
                new ReviewedConversation(d, false, Set.of(), null, null));
        assertThat(db.reviewHistory().errorCodes()).containsExactly("truncated");
        assertThat(db.reviewHistory().decisionsByReviewer()).extracting(r -> r.conversationId() + "/" + r.reviewer() + "/" + r.approved() + "/" + r.defect())
                .containsExactly(a + "/ana/false/true", a + "/ben/true/false", b + "/ana/true/true", b + "/ben/true/false",
                        d + "/" + ReviewHistoryDao.UNNAMED + "/true/false");
        assertThat(db.reviewHistory().progressByReviewer()).containsExactly(
                new ReviewerProgress(ReviewHistoryDao.UNNAMED, 1, 1, 0, 0),
                new ReviewerProgress("ana", 2, 1, 1, 1),
                new ReviewerProgress("ben", 2, 2, 0, 0));
    }
}

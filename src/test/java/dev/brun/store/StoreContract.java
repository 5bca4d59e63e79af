package dev.brun.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.brun.BadInputException;
import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Generation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;

/** The behaviour every database brun supports must show; one subclass per database. */
abstract class StoreContract {
    protected Database db;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        db = openDatabase();
    }

    @AfterEach
    void close() {
        db.close();
    }

    static PlannedUnit unit(int i, String phase) {
        return new PlannedUnit("seed:p" + (i % 3) + ":a:t:" + i + ":" + phase, "packhash", phase, "p" + (i % 3), "a", "t", i);
    }

    static List<PlannedUnit> units(int n, String phase) {
        return IntStream.range(0, n).mapToObj(i -> unit(i, phase)).toList();
    }

    static Conversation conversation(String id, String unitKey, String persona, String text) {
        var scaffolding = new Scaffolding(persona, "arc1", "topic1", 0, "seed");
        return new Conversation(id, unitKey, scaffolding, "context of " + id, "calmer", List.of(
                Turn.user(0, "I feel " + text, new Emotion("anxious", "sad", 0.7, 0.9, Valence.NEGATIVE)),
                Turn.assistant(1, "Let us breathe together.", "opening", "ground the client", List.of("grounding", "pacing"))),
                Source.GENERATED, "anthropic", "claude-x");
    }

    static Generation generation(double cost) {
        return new Generation("anthropic", "claude-x", 0.8, 2000, 1500, 1200, 300, cost, 900, "end_turn", 1, "req-1");
    }

    private void storeGenerated(int i, String persona, String text) {
        PlannedUnit u = unit(i, "seed");
        db.units().insertIfAbsent(List.of(u));
        assertThat(db.conversations().storeGenerated(new ConversationRecordBundle(
                conversation(String.format("c%05d", i), u.key(), persona, text), generation(0.01), false))).isTrue();
    }

    @Test
    void migrationsCreateAnEmptySchema() {
        assertThat(db.units().countsByStateAndPhase()).isEmpty();
        assertThat(db.conversations().count(ConversationFilter.all())).isZero();
        assertThat(db.ledger().totals().calls()).isZero();
        db.meta().put("settings_hash", "abc");
        db.meta().put("settings_hash", "def");
        assertThat(db.meta().get("settings_hash")).contains("def");
        db.meta().putPackSnapshot("h1", "default", "{\"a\":1}");
        db.meta().putPackSnapshot("h1", "default", "{\"a\":2}");
        assertThat(db.meta().packSnapshot("h1")).contains("{\"a\":1}");
    }

    @Test
    void insertingTheSameUnitsTwiceAddsNoneTheSecondTime() {
        assertThat(db.units().insertIfAbsent(units(300, "seed"))).isEqualTo(300);
        assertThat(db.units().insertIfAbsent(units(300, "seed"))).isZero();
        assertThat(db.units().insertIfAbsent(units(310, "seed"))).isEqualTo(10);
        assertThat(db.units().countsByStateAndPhase()).containsExactly(new UnitCount("seed", UnitState.PENDING, 310));
        assertThat(db.units().pending("seed")).hasSize(310);
        assertThat(db.units().pending("edge")).isEmpty();
    }

    @Test
    void concurrentClaimersNeverReceiveTheSameUnit() throws Exception {
        db.units().insertIfAbsent(units(200, "seed"));
        int workers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        try (var pool = Executors.newFixedThreadPool(workers)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String owner = "worker-" + w;
                futures.add(pool.submit(() -> {
                    start.await();
                    while (true) {
                        List<UnitRecord> got = db.units().claim(owner, 7, Duration.ofMinutes(5), "seed");
                        if (got.isEmpty()) return null;
                        got.forEach(u -> {
                            assertThat(u.state()).isEqualTo(UnitState.LEASED);
                            assertThat(u.leaseOwner()).isEqualTo(owner);
                            claimed.add(u.key());
                        });
                    }
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get();
        }
        assertThat(claimed).hasSize(200);
        assertThat(new HashSet<>(claimed)).hasSize(200);
        assertThat(db.units().countsByStateAndPhase()).containsExactly(new UnitCount("seed", UnitState.LEASED, 200));
    }

    @Test
    void claimFiltersByPhaseAndCountsAttempts() {
        db.units().insertIfAbsent(units(3, "seed"));
        db.units().insertIfAbsent(units(2, "edge"));
        List<UnitRecord> edge = db.units().claim("w", 10, Duration.ofMinutes(1), "edge");
        assertThat(edge).extracting(UnitRecord::phase).containsOnly("edge").hasSize(2);
        assertThat(edge).allSatisfy(u -> assertThat(u.attempts()).isEqualTo(1));
        assertThat(db.units().claim("w", 10, Duration.ofMinutes(1), null)).hasSize(3);
    }

    @Test
    void aSpreadClaimTakesEveryPersonaArcCellOnceBeforeAnyTwice() {
        List<PlannedUnit> planned = new ArrayList<>();
        // 2 personas x 3 arcs x 4 topics, planned persona by persona: a claim in plan order would take one cell first
        for (String p : List.of("p0", "p1"))
            for (String a : List.of("a0", "a1", "a2"))
                for (String t : List.of("t0", "t1", "t2", "t3"))
                    planned.add(new PlannedUnit("seed:" + p + a + t, "packhash", "seed", p, a, t, 0));
        db.units().insertIfAbsent(planned);
        List<UnitRecord> first = db.units().claimSpread("w", 6, Duration.ofMinutes(1), "seed");
        assertThat(first).extracting(u -> u.personaKey() + u.arcKey()).doesNotHaveDuplicates().hasSize(6);
        assertThat(first).extracting(UnitRecord::topicKey).containsOnly("t0", "t1", "t2", "t3");
        assertThat(new HashSet<>(first.stream().map(UnitRecord::topicKey).toList())).hasSize(4);
        List<UnitRecord> second = db.units().claimSpread("w", 6, Duration.ofMinutes(1), null);
        assertThat(second).extracting(u -> u.personaKey() + u.arcKey()).doesNotHaveDuplicates().hasSize(6);
        assertThat(second).extracting(UnitRecord::key).doesNotContainAnyElementsOf(first.stream().map(UnitRecord::key).toList());
    }

    @Test
    void anExpiredLeaseReturnsItsUnit() throws Exception {
        db.units().insertIfAbsent(units(2, "seed"));
        db.units().claim("alive", 1, Duration.ofMinutes(10), "seed");
        List<UnitRecord> first = db.units().claim("crashed", 1, Duration.ofMillis(1), "seed");
        Thread.sleep(30);
        List<UnitRecord> again = db.units().claim("second", 5, Duration.ofMinutes(1), "seed");
        assertThat(again).extracting(UnitRecord::key).containsExactly(first.getFirst().key());
        assertThat(again.getFirst().attempts()).isEqualTo(2);

        assertThat(db.units().extendLease(again.getFirst().key(), "crashed", Duration.ofMinutes(1))).isFalse();
        assertThat(db.units().extendLease(again.getFirst().key(), "second", Duration.ofMillis(1))).isTrue();
        Thread.sleep(30);
        assertThat(db.units().releaseExpiredLeases()).isEqualTo(1);
        assertThat(db.units().find(again.getFirst().key())).get()
                .satisfies(u -> {
                    assertThat(u.state()).isEqualTo(UnitState.PENDING);
                    assertThat(u.leaseOwner()).isNull();
                });
    }

    @Test
    void onlyTheLeaseHolderCanGiveAUnitBack() {
        db.units().insertIfAbsent(units(1, "seed"));
        String key = db.units().claim("holder", 1, Duration.ofMinutes(10), "seed").getFirst().key();
        assertThat(db.units().releaseLease(key, "someone-else")).isFalse();
        assertThat(db.units().find(key)).get().satisfies(u -> assertThat(u.leaseOwner()).isEqualTo("holder"));
        assertThat(db.units().releaseLease(key, "holder")).isTrue();
        assertThat(db.units().find(key)).get().satisfies(u -> {
            assertThat(u.state()).isEqualTo(UnitState.PENDING);
            assertThat(u.leaseOwner()).isNull();
        });
    }

    @Test
    void failedUnitsAreCountedByReasonAndCanBeRetried() {
        db.units().insertIfAbsent(units(4, "seed"));
        List<UnitRecord> got = db.units().claim("w", 4, Duration.ofMinutes(1), null);
        db.units().markFailed(got.get(0).key(), "truncated", "stop_reason=max_tokens at turn 7");
        db.units().markFailed(got.get(1).key(), "truncated", "stop_reason=max_tokens at turn 3");
        db.units().markFailed(got.get(2).key(), "http_429", "rate limited 5 times");
        assertThat(db.units().markDone(got.get(3).key())).isTrue();
        assertThat(db.units().failuresByReason()).extracting(FailureCount::reason, FailureCount::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("truncated", 2L), org.assertj.core.groups.Tuple.tuple("http_429", 1L));
        assertThat(db.units().failuresByReason()).allSatisfy(f -> assertThat(f.example()).as(f.reason()).isNotNull());
        assertThat(db.units().find(got.get(2).key()).orElseThrow().failureDetail()).isEqualTo("rate limited 5 times");
        assertThat(db.units().returnToPending(UnitState.FAILED, "seed")).isEqualTo(3);
        assertThat(db.units().countsByStateAndPhase()).containsExactlyInAnyOrder(
                new UnitCount("seed", UnitState.PENDING, 3), new UnitCount("seed", UnitState.DONE, 1));
    }

    @Test
    void storingAGeneratedConversationIsAtomicAndIdempotent() {
        PlannedUnit u = unit(1, "seed");
        db.units().insertIfAbsent(List.of(u));
        db.units().claim("w", 1, Duration.ofMinutes(1), null);
        var bundle = new ConversationRecordBundle(conversation("conv-1", u.key(), "p1", "lost"), generation(0.0345), false);

        assertThat(db.conversations().storeGenerated(bundle)).isTrue();
        assertThat(db.conversations().storeGenerated(bundle)).isFalse();
        var otherIdSameUnit = new ConversationRecordBundle(conversation("conv-2", u.key(), "p1", "lost"), generation(0.0345), false);
        assertThat(db.conversations().storeGenerated(otherIdSameUnit)).isFalse();

        assertThat(db.ledger().totals().calls()).isEqualTo(1);
        assertThat(db.ledger().totalSpend()).isEqualTo(0.0345);
        assertThat(db.units().find(u.key()).orElseThrow().state()).isEqualTo(UnitState.DONE);
        StoredConversation stored = db.conversations().findByUnitKey(u.key()).orElseThrow();
        assertThat(stored.conversation()).isEqualTo(bundle.conversation());
        assertThat(stored.generation()).contains(bundle.generation());
        assertThat(stored.review().status()).isEqualTo(ReviewStatus.PENDING);
        assertThat(stored.contentHash()).isEqualTo(ContentHash.of(bundle.conversation()));
        assertThat(db.conversations().find("conv-2")).isEmpty();
    }

    @Test
    void aFailedStoreLeavesNothingBehind() {
        PlannedUnit u = unit(1, "seed");
        db.units().insertIfAbsent(List.of(u));
        Conversation duplicateTurnIndex = conversation("conv-bad", u.key(), "p1", "x")
                .withTurns(List.of(Turn.user(0, "a", null), Turn.assistant(0, "b", null, null, List.of())));
        assertThatThrownBy(() -> db.conversations().storeGenerated(
                new ConversationRecordBundle(duplicateTurnIndex, generation(0.02), false)))
                .isInstanceOf(RuntimeException.class);
        assertThat(db.conversations().count(ConversationFilter.all())).isZero();
        assertThat(db.ledger().totals().calls()).isZero();
        assertThat(db.units().find(u.key()).orElseThrow().state()).isEqualTo(UnitState.PENDING);
    }

    @Test
    void ledgerSumsSpendByPhaseDayAndTokens() {
        Instant day1 = LocalDate.of(2026, 3, 1).atTime(23, 30).toInstant(ZoneOffset.UTC);
        Instant day2 = LocalDate.of(2026, 3, 2).atTime(0, 30).toInstant(ZoneOffset.UTC);
        db.ledger().record(new LedgerEntry(null, "u1", "seed", "anthropic", "m", "r1", 100, 50, 10, 5, 0.25, false, LedgerOutcome.FAILED, day1));
        db.ledger().record(new LedgerEntry(null, "u1", "seed", "anthropic", "m", "r2", 100, 50, 10, 5, 0.50, true, LedgerOutcome.STORED, day2));
        db.ledger().record(new LedgerEntry(null, null, "edge", "anthropic", "m", "r3", 1, 2, 3, 4, 1.00, false, LedgerOutcome.RETRIED, day2));
        assertThat(db.ledger().totals()).isEqualTo(new TokenTotals(3, 201, 102, 23, 14, 1.75));
        assertThat(db.ledger().spendByPhase()).containsExactly(Map.entry("edge", 1.00), Map.entry("seed", 0.75));
        assertThat(db.ledger().spendByDay()).containsExactly(
                Map.entry(LocalDate.of(2026, 3, 1), 0.25), Map.entry(LocalDate.of(2026, 3, 2), 1.50));
        assertThat(db.ledger().forUnit("u1")).extracting(LedgerEntry::outcome, LedgerEntry::batch)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LedgerOutcome.FAILED, false),
                        org.assertj.core.groups.Tuple.tuple(LedgerOutcome.STORED, true));
    }

    @Test
    void ledgerKeepsTheOneHourPartOfCacheWritesApart() {
        db.ledger().record(new LedgerEntry(null, "u1", "seed", "anthropic", "m", "r1", 100, 50, 10, 4000, 3000, 0.25, true, LedgerOutcome.STORED, Instant.now()));
        db.ledger().record(new LedgerEntry(null, "u2", "seed", "anthropic", "m", "r2", 100, 50, 10, 500, 0.10, false, LedgerOutcome.STORED, Instant.now()));
        assertThat(db.ledger().forUnit("u1").getFirst().cacheWrite1hTokens()).isEqualTo(3000);
        assertThat(db.ledger().forUnit("u2").getFirst().cacheWrite1hTokens()).as("a line without the split: all five-minute writes").isZero();
        TokenTotals totals = db.ledger().totals();
        assertThat(totals.cacheWriteTokens()).isEqualTo(4500);
        assertThat(totals.cacheWrite1hTokens()).isEqualTo(3000);
        assertThat(totals.cacheWrite5mTokens()).isEqualTo(1500);
        assertThat(db.ledger().tokensByModel(true).get("m").cacheWrite1hTokens()).isEqualTo(3000);
        assertThat(db.ledger().tokensByModel(false).get("m").cacheWrite1hTokens()).isZero();
    }

    @Test
    void listFiltersAndPages() {
        for (int i = 0; i < 30; i++) storeGenerated(i, i % 2 == 0 ? "even" : "odd", i == 7 ? "100% Overwhelmed_today" : "fine");
        db.conversations().insertImported(conversation("imported-1", null, "odd", "imported"));
        db.quality().replaceFlags("c00003", List.of(QualityFlag.of("truncated", Severity.ERROR, "ends mid-sentence", 1)));
        db.quality().putScores("c00004", new Scores(4, 4, 4, 4, 4.5, "heuristic", Map.of("empathy", List.of("names the feeling"))));
        db.quality().putScores("c00006", new Scores(2, 2, 2, 2, 2.0, "heuristic", Map.of()));
        db.reviews().setStatus("c00005", ReviewStatus.APPROVED, "ana");

        Page<ConversationRow> first = db.conversations().list(ConversationFilter.all(), 0, 10);
        assertThat(first.total()).isEqualTo(31);
        assertThat(first.pageCount()).isEqualTo(4);
        assertThat(first.items()).extracting(ConversationRow::id).startsWith("c00000", "c00001").hasSize(10);
        Page<ConversationRow> last = db.conversations().list(ConversationFilter.all(), 3, 10);
        assertThat(last.items()).hasSize(1);

        assertThat(db.conversations().count(ConversationFilter.all().persona("even"))).isEqualTo(15);
        assertThat(db.conversations().list(ConversationFilter.all().flagged("truncated"), 0, 10).items())
                .extracting(ConversationRow::id, ConversationRow::errorFlags)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c00003", 1));
        assertThat(db.conversations().list(ConversationFilter.all().overallBetween(4.0, null), 0, 10).items())
                .extracting(ConversationRow::id, ConversationRow::overall)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c00004", 4.5));
        assertThat(db.conversations().list(ConversationFilter.all().review(ReviewStatus.APPROVED), 0, 10).items())
                .extracting(ConversationRow::id).containsExactly("c00005");
        assertThat(db.conversations().count(ConversationFilter.all().review(ReviewStatus.PENDING))).isEqualTo(30);
        assertThat(db.conversations().list(ConversationFilter.all().containing("100% overwhelmed_"), 0, 10).items())
                .extracting(ConversationRow::id).containsExactly("c00007");
        assertThat(db.conversations().count(ConversationFilter.all().containing("overwhel"))).as("a word's beginning").isEqualTo(1);
        assertThat(db.conversations().count(ConversationFilter.all().containing("OVERWHELMED_today"))).as("any case").isEqualTo(1);
        assertThat(db.conversations().count(ConversationFilter.all().containing("%"))).isEqualTo(1);
        assertThat(db.conversations().count(ConversationFilter.all().persona("odd").inPhase("seed").arc("arc1").topic("topic1")))
                .isEqualTo(16);
        assertThat(db.conversations().count(ConversationFilter.all().usable())).isEqualTo(30);
        assertThat(first.items().getFirst().turnCount()).isEqualTo(2);
        assertThat(db.conversations().find("imported-1").orElseThrow().conversation().source()).isEqualTo(Source.IMPORTED);
    }

    @Test
    void textSearchFollowsEditsAndDeletions() {
        storeGenerated(1, "p1", "worried about the mortgage");
        storeGenerated(2, "p1", "calm about savings");
        assertThat(db.conversations().count(ConversationFilter.all().containing("mortgage"))).isEqualTo(1);

        db.reviews().editTurn("c00001", 0, "I feel worried about tuition", "ana");
        assertThat(db.conversations().count(ConversationFilter.all().containing("mortgage"))).as("the edited-away word").isZero();
        assertThat(db.conversations().list(ConversationFilter.all().containing("tuition"), 0, 10).items())
                .extracting(ConversationRow::id).containsExactly("c00001");

        db.jdbi().useHandle(h -> h.execute("DELETE FROM conversations WHERE id = 'c00002'"));
        assertThat(db.conversations().count(ConversationFilter.all().containing("savings"))).as("a deleted conversation").isZero();
        assertThat(db.conversations().count(ConversationFilter.all().containing("breathe together"))).isEqualTo(1);
    }

    @Test
    void streamingVisitsEveryMatchingConversationOnce() {
        db.units().insertIfAbsent(units(1_234, "seed"));
        for (int i = 0; i < 1_234; i++) {
            db.conversations().storeGenerated(new ConversationRecordBundle(
                    conversation(String.format("c%05d", i), unit(i, "seed").key(), i % 2 == 0 ? "even" : "odd", "x"),
                    generation(0.001), true));
        }
        db.quality().replaceFlags("c00002", List.of(QualityFlag.of("near_duplicate", Severity.WARNING, "like c00004", null)));
        List<String> seen = new ArrayList<>();
        Set<String> flagged = new HashSet<>();
        db.conversations().streamAll(ConversationFilter.all().persona("even"), c -> {
            seen.add(c.conversation().id());
            assertThat(c.conversation().turns()).hasSize(2);
            if (!c.flags().isEmpty()) flagged.add(c.conversation().id());
        });
        assertThat(seen).hasSize(617).doesNotHaveDuplicates().isSorted();
        assertThat(flagged).containsExactly("c00002");
        assertThat(db.ledger().totals().calls()).isEqualTo(1_234);
    }

    @Test
    void reviewEditsAreVersionedAndKeepTheOriginal() {
        storeGenerated(1, "p", "lost");
        String id = "c00001";
        assertThat(db.reviews().editTurn(id, 1, "Shall we breathe?", "ana")).isEqualTo(1);
        assertThat(db.reviews().editTurn(id, 1, "Shall we take a breath?", "ben")).isEqualTo(2);
        assertThat(db.conversations().find(id).orElseThrow().conversation().turns().get(1).content())
                .isEqualTo("Shall we take a breath?");
        assertThat(db.reviews().originalContent(id, 1)).contains("Let us breathe together.");
        assertThat(db.reviews().originalContent(id, 0)).contains("I feel lost");
        assertThat(db.reviews().edits(id)).extracting(TurnEdit::version, TurnEdit::oldContent, TurnEdit::editor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "Let us breathe together.", "ana"),
                        org.assertj.core.groups.Tuple.tuple(2, "Shall we breathe?", "ben"));
        assertThatThrownBy(() -> db.reviews().editTurn(id, 9, "x", "ana"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("has no turn 9");
    }

    @Test
    void reviewActionsAreLoggedAndApprovedSeedsListed() {
        storeGenerated(1, "p1", "a");
        storeGenerated(2, "p2", "b");
        db.reviews().setStatus("c00001", ReviewStatus.APPROVED, "ana");
        assertThat(db.reviews().toggleSeed("c00001", "ana")).isTrue();
        assertThat(db.reviews().toggleSeed("c00002", "ana")).isTrue();
        db.reviews().note("c00001", "great pacing", "ana");
        assertThat(db.reviews().approvedSeeds(null, null)).containsExactly("c00001");
        assertThat(db.reviews().approvedSeeds("p1", "arc1")).containsExactly("c00001");
        assertThat(db.reviews().approvedSeeds("p2", null)).isEmpty();
        assertThat(db.reviews().actions("c00001")).extracting(ReviewAction::action, ReviewAction::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("status", "approved"),
                        org.assertj.core.groups.Tuple.tuple("seed", "true"),
                        org.assertj.core.groups.Tuple.tuple("note", "great pacing"));
        var review = db.conversations().find("c00001").orElseThrow().review();
        assertThat(review.seed()).isTrue();
        assertThat(review.notes()).isEqualTo("great pacing");
        assertThat(review.reviewer()).isEqualTo("ana");
        assertThat(db.reviews().toggleSeed("c00001", "ana")).isFalse();
        assertThatThrownBy(() -> db.reviews().setStatus("nope", ReviewStatus.APPROVED, "ana"))
                .isInstanceOf(BadInputException.class);
    }

    @Test
    void aReviewPlanCertifiesAnAcceptedStratumAndTakesItBackWhenADefectTurnsUp() {
        for (int i = 0; i < 30; i++) storeGenerated(i, "p" + (i % 3), "case " + i);
        var planner = new dev.brun.review.ReviewPlanner(db.reviewPlans());
        var params = new dev.brun.review.PlanParameters(dev.brun.review.StratumDimension.parse(List.of()), 0.05, 0.95, 0, 42, 0.1);
        var outcome = planner.plan(params, false);
        assertThat(outcome.strata()).hasSize(1);
        var stratum = outcome.strata().getFirst().stratum();
        assertThat(stratum.label()).isEqualTo("seed / claude-x");
        // N = 30, 2 defective at 5%: (30-n)(29-n)/870 <= 0.05 first at n = 23
        assertThat(stratum.sampleSize()).isEqualTo(23);
        var sample = db.reviewPlans().sampleDecisions(stratum.id());
        assertThat(sample).hasSize(23);
        var members = db.reviewPlans().members(stratum.id());
        assertThat(members).hasSize(30);
        assertThat(members.subList(0, 23)).allMatch(dev.brun.store.StratumMember::sampled)
                .extracting(dev.brun.store.StratumMember::conversationId)
                .containsExactlyElementsOf(sample.stream().map(SampleDecision::conversationId).toList());
        // --overlap 0.1 of 23: the first 3 of the sample are for two reviewers
        assertThat(members).filteredOn(m -> m.reviewers() == 2).extracting(dev.brun.store.StratumMember::position).containsExactly(0, 1, 2);
        for (var d : sample) db.reviews().setStatus(d.conversationId(), ReviewStatus.APPROVED, "ana");
        var signOff = new dev.brun.review.SignOff(db.reviewPlans());
        var accepted = signOff.evaluate().orElseThrow().strata().getFirst();
        assertThat(accepted.verdict().label()).isEqualTo("accepted");
        assertThat(accepted.newlyAccepted()).isEqualTo(7);
        assertThat(db.conversations().count(ConversationFilter.all().review(ReviewStatus.ACCEPTED))).isEqualTo(7);
        assertThat(db.reviewPlans().stratum(stratum.id()).orElseThrow().upperBound()).isLessThan(0.05);

        // An edit before approval is a defect: the verdict turns and the certified ones wait again.
        db.reviews().editTurn(sample.getFirst().conversationId(), 1, "Shall we breathe?", "ana");
        var rejected = signOff.evaluate().orElseThrow().strata().getFirst();
        assertThat(rejected.verdict().label()).isEqualTo("rejected");
        assertThat(rejected.defects()).isEqualTo(1);
        assertThat(db.conversations().count(ConversationFilter.all().review(ReviewStatus.ACCEPTED))).isZero();
        assertThat(db.reviewPlans().candidates(null)).hasSize(7);
        assertThat(db.reviewPlans().memberAt(stratum.id(), true, 0).conversationId()).contains(sample.getFirst().conversationId());
        assertThat(db.reviewPlans().memberAt(stratum.id(), false, 0).total()).isEqualTo(30);
    }

    @Test
    void replacingFlagsDropsTheOldOnesAndUsabilityFollows() {
        storeGenerated(1, "p", "a");
        String id = "c00001";
        db.quality().replaceFlags(id, List.of(
                QualityFlag.of("truncated", Severity.ERROR, "ends mid-sentence", 1),
                new QualityFlag("near_duplicate", Severity.WARNING, "0.93 similar", null, "c00009")));
        assertThat(db.quality().usable(id)).isFalse();
        assertThat(db.quality().flagCountsByCode()).containsExactly(Map.entry("near_duplicate", 1L), Map.entry("truncated", 1L));
        db.quality().replaceFlags(id, List.of(QualityFlag.of("short", Severity.INFO, "4 turns", null)));
        assertThat(db.quality().flags(id)).containsExactly(QualityFlag.of("short", Severity.INFO, "4 turns", null));
        assertThat(db.quality().usable(id)).isTrue();
        assertThat(db.conversations().find(id).orElseThrow().usable()).isTrue();
        db.reviews().setStatus(id, ReviewStatus.REJECTED, "ana");
        assertThat(db.quality().usable(id)).isFalse();
        assertThat(db.quality().usableCount()).isZero();

        Scores s = new Scores(4, 3, 5, 4, 4.0, "judge:claude-x", Map.of("clarity", List.of("long sentences")));
        db.quality().putScores(id, s);
        db.quality().putScores(id, s);
        assertThat(db.quality().scores(id)).contains(s);
    }

    @Test
    void batchesRememberTheirUnitsUntilResultsAreFetched() {
        db.units().insertIfAbsent(units(3, "seed"));
        var batch = new BatchRecord("msgbatch_1", "anthropic", "seed", "in_progress", 2, Instant.now(), null, false);
        db.batches().create(batch, Map.of("r0", unit(0, "seed").key(), "r1", unit(1, "seed").key()));
        assertThat(db.batches().units("msgbatch_1")).containsExactly(
                Map.entry("r0", unit(0, "seed").key()), Map.entry("r1", unit(1, "seed").key()));
        assertThat(db.units().find(unit(0, "seed").key()).orElseThrow().batchId()).isEqualTo("msgbatch_1");
        assertThat(db.units().find(unit(2, "seed").key()).orElseThrow().batchId()).isNull();
        assertThat(db.batches().unfinished()).extracting(BatchRecord::id).containsExactly("msgbatch_1");
        db.batches().updateStatus("msgbatch_1", "ended", Instant.now());
        db.batches().markResultsFetched("msgbatch_1");
        assertThat(db.batches().unfinished()).isEmpty();
        assertThat(db.batches().find("msgbatch_1").orElseThrow().status()).isEqualTo("ended");
    }

    @Test
    void listingStaysFastAtFiftyThousandConversations() {
        db.jdbi().useHandle(h -> {
            String numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) ";
            h.execute(numbers + """
                    INSERT INTO conversations (id, unit_key, persona_key, arc_key, topic_key, variation_index, phase,
                                               source, content_hash, created_at)
                    SELECT 'bulk' || i, NULL, 'p' || (i % 10), 'a' || (i % 5), 't' || (i % 20), 0, 'seed',
                           'imported', 'h' || i, i FROM n""");
            h.execute(numbers + """
                    INSERT INTO turns (conversation_id, idx, role, content)
                    SELECT 'bulk' || i, 0, 'user', 'message number ' || i FROM n""");
            h.execute(numbers + """
                    INSERT INTO reviews (conversation_id, status, seed, updated_at)
                    SELECT 'bulk' || i, CASE WHEN i % 7 = 0 THEN 'approved' ELSE 'pending' END, FALSE, i FROM n""");
            h.execute(numbers + """
                    INSERT INTO quality_flags (conversation_id, code, severity, reason)
                    SELECT 'bulk' || i, 'short', 'warning', 'one turn' FROM n WHERE i % 100 = 0""");
        });
        long started = System.nanoTime();
        Page<ConversationRow> page = db.conversations().list(
                ConversationFilter.all().persona("p3").review(ReviewStatus.PENDING), 40, 50);
        Page<ConversationRow> flagged = db.conversations().list(ConversationFilter.all().flagged("short"), 0, 50);
        Page<ConversationRow> searched = db.conversations().list(ConversationFilter.all().containing("number 4999"), 0, 50);
        Page<ConversationRow> lastPage = db.conversations().list(ConversationFilter.all(), 999, 50);
        long millis = (System.nanoTime() - started) / 1_000_000;

        long pendingP3 = IntStream.rangeClosed(1, 50_000).filter(i -> i % 10 == 3 && i % 7 != 0).count();
        assertThat(page.total()).isEqualTo(pendingP3);
        assertThat(page.items()).hasSize(50);
        assertThat(flagged.total()).isEqualTo(500);
        assertThat(searched.items()).extracting(ConversationRow::id).contains("bulk4999", "bulk49990");
        assertThat(lastPage.items()).hasSize(50).last().extracting(ConversationRow::id).isEqualTo("bulk50000");
        assertThat(millis).as("four listings over 50,000 conversations took %d ms", millis).isLessThan(3_000);
    }

    @Test
    void jobsReportProgressUntilTheyFinish() {
        String id = db.jobs().start("generate", 300, "starting");
        db.jobs().progress(id, 120, 300, "120 of 300 stored");
        assertThat(db.jobs().running()).singleElement().satisfies(j -> {
            assertThat(j.done()).isEqualTo(120);
            assertThat(j.message()).isEqualTo("120 of 300 stored");
        });
        db.jobs().finish(id, false, "budget reached at $5.00");
        db.jobs().progress(id, 200, 300, "late update from a stopped worker");
        JobRecord job = db.jobs().find(id).orElseThrow();
        assertThat(job.state()).isEqualTo("failed");
        assertThat(job.done()).isEqualTo(120);
        assertThat(job.endedAt()).isNotNull();
        assertThat(db.jobs().running()).isEmpty();
        assertThat(db.jobs().recent(5)).extracting(JobRecord::id).containsExactly(id);
    }

    @Test
    void manyVirtualThreadsStoreAtOnceWithoutBusyErrors() throws Exception {
        db.units().insertIfAbsent(units(200, "seed"));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> stored = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                stored.add(pool.submit(() -> db.conversations().storeGenerated(new ConversationRecordBundle(
                        conversation("v" + n, unit(n, "seed").key(), "p", "x"), generation(0.01), false))));
            }
            for (Future<Boolean> f : stored) assertThat(f.get()).isTrue();
        }
        assertThat(db.ledger().totals().calls()).isEqualTo(200);
        assertThat(db.units().countsByStateAndPhase()).containsExactly(new UnitCount("seed", UnitState.DONE, 200));
    }

    @Test
    void anUnsupportedDatabaseUrlIsRejectedWithAHint() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://localhost/brun", "u", "p"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("jdbc:postgresql://host:port/database");
    }

    @Test
    void decisionsKeepSeedsApprovedAndReasonsApartFromNotes() {
        db.conversations().insertImported(conversation("d-1", null, "p", "one"));
        var reviews = db.reviews();
        assertThat(reviews.verdict("d-1")).isEqualTo(Verdict.PENDING);
        assertThatThrownBy(() -> reviews.decide("d-1", new Verdict(ReviewStatus.PENDING, true, null), "ana"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("approved");
        assertThatThrownBy(() -> reviews.decide("d-1", new Verdict(ReviewStatus.REJECTED, false, " "), "ana"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("reason");
        assertThat(reviews.decide("d-1", new Verdict(ReviewStatus.APPROVED, true, null), "ana")).isEqualTo(Verdict.PENDING);
        assertThat(reviews.decide("d-1", new Verdict(ReviewStatus.REJECTED, false, "off-brand"), "ana"))
                .isEqualTo(new Verdict(ReviewStatus.APPROVED, true, null));
        reviews.note("d-1", "a note", "ana");
        assertThat(reviews.verdict("d-1")).isEqualTo(new Verdict(ReviewStatus.REJECTED, false, "off-brand"));
        assertThat(reviews.recentReasons(5)).containsExactly("off-brand");
        // setStatus away from approved also unmarks a seed
        reviews.decide("d-1", new Verdict(ReviewStatus.APPROVED, true, null), "ana");
        reviews.setStatus("d-1", ReviewStatus.PENDING, "ana");
        assertThat(reviews.verdict("d-1")).isEqualTo(Verdict.PENDING);
    }

    @Test
    void theWalkFindsTheNextConversationEvenAfterTheCurrentOneLeftTheFilter() {
        for (int i = 1; i <= 5; i++) db.conversations().insertImported(conversation("w-" + i, null, "p", "text " + i));
        for (int i = 1; i <= 5; i++) db.quality().putScores("w-" + i, new Scores(3, 3, 3, 3, 6 - i, "heuristic", Map.of()));
        db.quality().replaceFlags("w-2", List.of(QualityFlag.of("a", Severity.WARNING, "x", null), QualityFlag.of("b", Severity.ERROR, "y", 1)));
        var pending = ConversationFilter.all().review(ReviewStatus.PENDING);
        var conversations = db.conversations();
        assertThat(conversations.neighbour(pending, ConversationOrder.CREATED, "w-1", true)).contains("w-2");
        db.reviews().setStatus("w-2", ReviewStatus.APPROVED, "ana");
        // w-2 is no longer pending: its successor is still w-3, its predecessor w-1
        assertThat(conversations.neighbour(pending, ConversationOrder.CREATED, "w-2", true)).contains("w-3");
        assertThat(conversations.neighbour(pending, ConversationOrder.CREATED, "w-2", false)).contains("w-1");
        assertThat(conversations.positionOf(pending, ConversationOrder.CREATED, "w-3")).isEqualTo(1);
        assertThat(conversations.neighbour(pending, ConversationOrder.CREATED, "w-5", true)).isEmpty();
        // lowest score first: w-5 (1.0) … w-1 (5.0)
        assertThat(conversations.list(ConversationFilter.all(), ConversationOrder.SCORE, 0, 10).items())
                .extracting(ConversationRow::id).containsExactly("w-5", "w-4", "w-3", "w-2", "w-1");
        assertThat(conversations.neighbour(ConversationFilter.all(), ConversationOrder.SCORE, "w-4", true)).contains("w-3");
        assertThat(conversations.list(ConversationFilter.all(), ConversationOrder.FLAGS, 0, 1).items().getFirst().id()).isEqualTo("w-2");
        assertThat(conversations.neighbour(ConversationFilter.all(), ConversationOrder.FLAGS, "w-2", true)).contains("w-1");
        assertThat(conversations.count(ConversationFilter.all().withFlags(ConversationFilter.FlagPresence.ANY_ERROR))).isEqualTo(1);
        assertThat(conversations.count(ConversationFilter.all().withFlags(ConversationFilter.FlagPresence.NONE))).isEqualTo(4);
    }
}

package dev.brun.quality;

import dev.brun.WorkFailedException;
import dev.brun.llm.ClientStats;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmClient;
import dev.brun.llm.LlmException;
import dev.brun.llm.StopReason;
import dev.brun.llm.Usage;
import dev.brun.plan.PriceTable;
import dev.brun.store.Database;
import dev.brun.store.InFlightCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The judge's calls reserve their worst case in the project database, like generation calls of any process. */
class ClientJudgeBudgetTest {
    private static final String SCHEMA = "{\"type\":\"object\"}";
    @TempDir Path dir;
    private Database db;

    @BeforeEach
    void open() { db = Database.openSqlite(dir.resolve("brun.db")); }

    @AfterEach
    void close() { db.close(); }

    private LlmClient client(Runnable whileInFlight, boolean fail) {
        return new LlmClient() {
            final ClientStats stats = new ClientStats();
            @Override public GenerationResult generate(GenerationRequest request) {
                whileInFlight.run();
                if (fail) throw new LlmException(LlmException.Kind.SERVER, 500, "boom", "", null, null, 1, null);
                return new GenerationResult(null, "{\"empathy\": 4}", StopReason.END_TURN, new Usage(500, 100, 0, 0),
                        "req_1", 10, 1, null);
            }
            @Override public ClientStats stats() { return stats; }
            @Override public String provider() { return "fake"; }
            @Override public void stopSending() {}
        };
    }

    @Test
    void aJudgeCallIsReservedInTheDatabaseWhileInFlightAndSettledByItsLedgerLine() {
        AtomicInteger seenInFlight = new AtomicInteger(-1);
        ClientJudge judge = new ClientJudge(client(() -> seenInFlight.set(db.ledger().callsInFlight()), false),
                "claude-haiku-4-5", PriceTable.defaults(), 10.0, db.ledger(), "host:1:abc");
        judge.complete("rubric", "conversation", SCHEMA);
        assertThat(seenInFlight.get()).as("another process sees the judge's call in flight").isEqualTo(1);
        assertThat(db.ledger().callsInFlight()).isZero();
        assertThat(db.ledger().totals().calls()).isEqualTo(1);
        assertThat(db.ledger().totalSpend()).isPositive();
    }

    @Test
    void aFailedJudgeCallGivesItsReservationBack() {
        ClientJudge judge = new ClientJudge(client(() -> {}, true), "claude-haiku-4-5", PriceTable.defaults(), 10.0, db.ledger(), "host:1:abc");
        assertThatThrownBy(() -> judge.complete("rubric", "conversation", SCHEMA)).isInstanceOf(LlmException.class);
        assertThat(db.ledger().callsInFlight()).isZero();
        assertThat(db.ledger().totalSpend()).isZero();
    }

    @Test
    void aJudgeCallDoesNotStartWhenReservationsOfOtherProcessesFillTheCap() {
        var other = db.ledger().reserve(new InFlightCall("u1", "seed", 1, "claude-sonnet-4-5", "other:2:x", 0.5, 0.999, false), 1.0);
        assertThat(other.granted()).isTrue();
        AtomicInteger calls = new AtomicInteger();
        ClientJudge judge = new ClientJudge(client(calls::incrementAndGet, false), "claude-haiku-4-5", PriceTable.defaults(), 1.0,
                db.ledger(), "host:1:abc");
        assertThatThrownBy(() -> judge.complete("rubric", "conversation", SCHEMA)).isInstanceOf(WorkFailedException.class)
                .hasMessageContaining("budget");
        assertThat(calls).hasValue(0);
    }
}

package dev.brun.run;

import dev.brun.llm.LocalPacingState;
import dev.brun.llm.Pacer;
import dev.brun.llm.PacingState;
import dev.brun.llm.RateLimitSnapshot;
import dev.brun.llm.Sleeper;
import dev.brun.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pacing state shared through a project's database (a real SQLite file): two "processes" (each its own state
 * and pacer on its own connection pool) see each other's calls and the newest headers either of them received.
 */
class DatabasePacingTest {
    private static final String SCOPE = "anthropic https://api.anthropic.com";
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir Path tmp;
    private Database first;
    private Database second;

    @BeforeEach
    void open() {
        first = Database.openSqlite(tmp.resolve("brun.db"));
        second = Database.openSqlite(tmp.resolve("brun.db"));
    }

    @AfterEach
    void close() {
        second.close();
        first.close();
    }

    private static DatabasePacing state(Database db, String owner) {
        return new DatabasePacing(db.pacing(), SCOPE, owner, CLOCK, Duration.ofMinutes(11), new LocalPacingState());
    }

    private static RateLimitSnapshot output(long limit, long remaining, Instant at, Duration untilFull) {
        return new RateLimitSnapshot(null, null, null, new RateLimitSnapshot.Window(limit, remaining, at.plus(untilFull)), at);
    }

    @Test
    void eachProcessSeesTheOthersCallsAndTheNewestHeaders() {
        DatabasePacing a = state(first, "host:1:a");
        DatabasePacing b = state(second, "host:2:b");
        Instant now = CLOCK.instant();
        assertThat(a.reserveIf(new PacingState.Call(100, 4_000, now), view -> Duration.ZERO)).isZero();
        PacingState.View seenByB = view(b);
        assertThat(seenByB.shared()).isTrue();
        assertThat(seenByB.newest()).as("no headers yet").isNull();
        assertThat(seenByB.calls()).extracting(PacingState.Call::outputTokens).containsExactly(4_000L);

        a.end(100, 4_000, output(60_000, 51_000, CLOCK.instant(), Duration.ofSeconds(9)));
        PacingState.View after = view(b);
        assertThat(after.calls()).as("the ended call is counted by its headers now").isEmpty();
        assertThat(after.observations()).isEqualTo(1);
        assertThat(after.newest().outputTokens().remaining()).isEqualTo(51_000);

        // older headers (a slow reply from B) never replace newer ones
        b.observe(output(60_000, 10_000, now.minusSeconds(5), Duration.ofSeconds(50)));
        assertThat(view(a).newest().outputTokens().remaining()).isEqualTo(51_000);
    }

    @Test
    void aRefusedReservationRecordsNothing() {
        DatabasePacing a = state(first, "host:1:a");
        assertThat(a.reserveIf(new PacingState.Call(1, 1, CLOCK.instant()), view -> Duration.ofMillis(40))).isEqualTo(Duration.ofMillis(40));
        assertThat(view(state(second, "host:2:b")).calls()).isEmpty();
    }

    @Test
    void twoPacersOnOneDatabaseNeverBothTakeTheLastRoom() throws Exception {
        Pacer a = new Pacer(CLOCK, Sleeper.SYSTEM, state(first, "host:1:a"));
        Pacer b = new Pacer(CLOCK, Sleeper.SYSTEM, state(second, "host:2:b"));
        // 10,000 output tokens left of 60,000 a minute (1,000 a second): room for one 8,000-token call now
        a.observe(output(60_000, 10_000, CLOCK.instant(), Duration.ofSeconds(50)));
        assertThat(a.reserve(0, 8_000)).isZero();
        CompletableFuture<Duration> other = CompletableFuture.supplyAsync(() -> b.reserve(0, 8_000));
        Thread.sleep(1_000);
        assertThat(other).as("B sees A's reservation through the database and waits for the refill").isNotDone();
        assertThat(other.get(15, TimeUnit.SECONDS)).as("then goes once ~6,000 more tokens have flowed in")
                .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(9));
    }

    @Test
    void callsOfAProcessThatDiedStopCountingOnceOlderThanTheLongestCall() {
        DatabasePacing dead = new DatabasePacing(first.pacing(), SCOPE, "host:9:dead", CLOCK, Duration.ofSeconds(2), new LocalPacingState());
        dead.reserveIf(new PacingState.Call(0, 8_000, CLOCK.instant().minusSeconds(30)), view -> Duration.ZERO);
        DatabasePacing alive = new DatabasePacing(second.pacing(), SCOPE, "host:2:b", CLOCK, Duration.ofSeconds(2), new LocalPacingState());
        assertThat(view(alive).calls()).isEmpty();
        alive.reserveIf(new PacingState.Call(0, 1, CLOCK.instant()), view -> Duration.ZERO);
        assertThat(first.pacing().read(SCOPE, 0).calls()).as("the dead call's row is removed").hasSize(1);
    }

    @Test
    void aDatabaseThatIsGoneLeavesTheProcessPacingOnItsOwn() {
        DatabasePacing a = state(first, "host:1:a");
        first.close();
        assertThat(a.reserveIf(new PacingState.Call(1, 1, CLOCK.instant()), view -> view.shared() ? Duration.ofSeconds(9) : Duration.ZERO))
                .as("the local fallback decides").isZero();
        a.end(1, 1, output(100, 99, CLOCK.instant(), Duration.ofSeconds(1)));
        first = Database.openSqlite(tmp.resolve("brun.db"));
    }

    @Test
    void theScopeNamesTheEndpointWithoutCredentials() {
        assertThat(ProviderConnection.scope("anthropic", URI.create("https://user:secret@proxy.example:8443/v1?key=abc")))
                .isEqualTo("anthropic https://proxy.example:8443/v1");
        assertThat(ProviderConnection.scope("openai", URI.create("http://127.0.0.1:11434"))).isEqualTo("openai http://127.0.0.1:11434");
    }

    private static PacingState.View view(PacingState state) {
        PacingState.View[] seen = new PacingState.View[1];
        state.reserveIf(new PacingState.Call(0, 0, CLOCK.instant()), view -> {
            seen[0] = view;
            return Duration.ofMillis(1);
        });
        return seen[0];
    }
}

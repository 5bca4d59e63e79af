package dev.brun.run;

import dev.brun.cli.Main;
import dev.brun.project.Concurrency;
import dev.brun.project.Project;
import dev.brun.project.Provider;
import dev.brun.store.ConversationFilter;
import dev.brun.store.UnitState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a real {@code brun generate} process while calls are in flight, then a resume in this JVM:
 * nothing stored is regenerated, nothing is stored or billed twice, and the units the dead process held are
 * taken back at once (its leases name a PID that no longer exists). Ctrl-C, by contrast, loses nothing.
 */
class KillResumeTest {
    private static final int UNITS = 60;

    @TempDir Path tmp;

    @Test
    void resumesAfterKillWithoutPayingTwice() throws Exception {
        Path dir = EngineFixtures.plannedProject(tmp.resolve("p"), "arc=confusion_to_clarity");
        Path db = dir.resolve("brun.db");

        Process child = startGenerate(dir);
        long pid = child.pid();
        try {
            awaitStored(child, db, 10);
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(child.isAlive()).isFalse();

        long storedAtKill = count(db, "SELECT COUNT(*) FROM conversations");
        long linesAtKill = count(db, "SELECT COUNT(*) FROM ledger");
        long inFlight = count(db, "SELECT COUNT(*) FROM units WHERE state = 'leased' AND lease_owner LIKE '%:" + pid + ":%'");
        assertThat(storedAtKill).as("killed before the end").isLessThan(UNITS);
        assertThat(inFlight).as("calls were in flight at the kill").isPositive();
        assertThat(linesAtKill).as("a conversation and its ledger line are written together").isEqualTo(storedAtKill);

        RunSummary resumed;
        try (Project project = Project.open(dir);
             ProviderConnection conn = ProviderConnection.open(project, Provider.SIMULATED, Concurrency.of(8))) {
            resumed = EngineFixtures.engine(project, conn.client(), EngineSettings.defaults().withWorkers(8)).run();

            assertThat(resumed.complete()).isTrue();
            assertThat(resumed.planned()).as("the dead run's leased units came back").isEqualTo(UNITS - storedAtKill);
            assertThat(resumed.done()).isEqualTo(UNITS - storedAtKill);
            var counts = project.db().units().countsByStateAndPhase();
            assertThat(counts).allSatisfy(c -> assertThat(c.state()).isEqualTo(UnitState.DONE));
            assertThat(counts.stream().mapToLong(c -> c.count()).sum()).isEqualTo(UNITS);
            assertThat(project.db().conversations().count(ConversationFilter.all())).isEqualTo(UNITS);
        }

        assertThat(count(db, "SELECT COUNT(DISTINCT unit_key) FROM conversations")).isEqualTo(UNITS);
        assertThat(rows(db, "SELECT unit_key FROM ledger WHERE outcome = 'stored' GROUP BY unit_key HAVING COUNT(*) > 1"))
                .as("no unit has two STORED ledger lines").isEmpty();
        long lines = count(db, "SELECT COUNT(*) FROM ledger");
        assertThat(lines - UNITS).as("at most the calls in flight at the kill are extra").isLessThanOrEqualTo(inFlight);
        assertThat(lines).isGreaterThanOrEqualTo(UNITS);
    }

    @Test
    void ctrlCLetsCallsInFlightFinishAndBeStoredThenResumePaysForNothingTwice() throws Exception {
        Path dir = EngineFixtures.plannedProject(tmp.resolve("p"), "arc=confusion_to_clarity");
        Path db = dir.resolve("brun.db");

        Process child = startGenerate(dir);
        long pid = child.pid();
        try {
            awaitStored(child, db, 10);
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child stops after Ctrl-C; its log:%n%s", log()).isTrue();
        } finally {
            child.destroyForcibly();
        }

        assertThat(log()).contains("Stopping: waiting for calls in flight");
        long stored = count(db, "SELECT COUNT(*) FROM conversations");
        assertThat(stored).as("stopped before the end").isLessThan(UNITS);
        assertThat(count(db, "SELECT COUNT(*) FROM units WHERE state = 'leased'"))
                .as("every call in flight finished and its unit was settled").isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM ledger")).as("no billed call was lost").isEqualTo(stored);

        try (Project project = Project.open(dir);
             ProviderConnection conn = ProviderConnection.open(project, Provider.SIMULATED, Concurrency.of(8))) {
            RunSummary resumed = EngineFixtures.engine(project, conn.client(), EngineSettings.defaults().withWorkers(8)).run();
            assertThat(resumed.done()).isEqualTo(UNITS - stored);
        }
        assertThat(count(db, "SELECT COUNT(*) FROM ledger")).as("after a graceful stop nothing is paid twice").isEqualTo(UNITS);
        assertThat(count(db, "SELECT COUNT(DISTINCT unit_key) FROM conversations")).isEqualTo(UNITS);
    }

    /** Waits until the child generating into db has stored at least n conversations, failing if it dies first. */
    private void awaitStored(Process child, Path db, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (count(db, "SELECT COUNT(*) FROM conversations") < n) {
            assertThat(child.isAlive()).as("the child is still generating; its log:%n%s", log()).isTrue();
            assertThat(System.nanoTime()).as("conversations appear within 40 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private Path logFile() { return tmp.resolve("child.log"); }

    private String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile()) : "(no log)";
        } catch (java.io.IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /** brun generate in a child JVM, on this JVM's classpath, against a slowed-down simulated provider. */
    private Process startGenerate(Path project) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "generate", "--project", project.toString(), "--concurrency", "8"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile().toFile());
        Map<String, String> env = pb.environment();
        env.put(ProviderConnection.SIMULATED_LATENCY_ENV, "250-400");
        return pb.start();
    }

    private static long count(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static List<String> rows(Path db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}

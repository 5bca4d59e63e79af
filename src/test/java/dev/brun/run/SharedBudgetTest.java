package dev.brun.run;

import dev.brun.cli.Main;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One budget per project, whatever the number of processes: four real {@code brun generate} processes with the
 * same --budget on one project together spend no more than the cap (the reservations live in the database),
 * and a kill -9 leaves calls in flight that the next run counts as unconfirmed.
 */
class SharedBudgetTest {
    @TempDir Path tmp;

    @Test
    void fourProcessesShareOneCap() throws Exception {
        Path dir = EngineFixtures.plannedProject(tmp.resolve("p"), "arc=confusion_to_clarity");
        Path db = dir.resolve("brun.db");
        // what one conversation costs with the simulated provider, to size a cap that stops the run midway
        Process first = start(dir, 0, "--limit", "4");
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        double perCall = sum(db, "SELECT SUM(cost_usd) FROM ledger") / count(db, "SELECT COUNT(*) FROM ledger");
        double cap = sum(db, "SELECT SUM(cost_usd) FROM ledger") + 30 * perCall;
        String budget = String.format(java.util.Locale.ROOT, "%.6f", cap);

        List<Process> children = new ArrayList<>();
        for (int i = 1; i <= 4; i++) children.add(start(dir, i, "--budget", budget));
        for (Process c : children) assertThat(c.waitFor(240, TimeUnit.SECONDS)).as("child log: %s", log(children.indexOf(c) + 1)).isTrue();

        double billed = sum(db, "SELECT SUM(cost_usd) FROM ledger");
        assertThat(billed).as("four processes together stay under the one cap").isLessThanOrEqualTo(cap + 1e-9);
        assertThat(count(db, "SELECT COUNT(*) FROM conversations")).as("the budget was used, not refused")
                .isGreaterThan(4);
        assertThat(count(db, "SELECT COUNT(*) FROM units WHERE state = 'pending'")).as("the cap stopped the run").isPositive();
        assertThat(count(db, "SELECT COUNT(*) FROM calls_in_flight")).as("every reservation was settled").isZero();
        for (int i = 1; i <= 4; i++) assertThat(log(i)).contains("Stopped early: budget");
    }

    @Test
    void callsInFlightAtAKillAreCountedAsUnconfirmedOnResume() throws Exception {
        Path dir = EngineFixtures.plannedProject(tmp.resolve("p"), "arc=confusion_to_clarity");
        Path db = dir.resolve("brun.db");
        for (int round = 0; round < 3; round++) {
            long before = count(db, "SELECT COUNT(*) FROM conversations");
            Process child = start(dir, round);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (count(db, "SELECT COUNT(*) FROM conversations") < before + 5 && System.nanoTime() < deadline) Thread.sleep(50);
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long inFlight = count(db, "SELECT COUNT(*) FROM calls_in_flight WHERE state = 'in_flight'");
            assertThat(inFlight).as("calls were in flight at the kill").isPositive();
            // every billed line has its conversation or failure; nothing is billed twice for a unit
            assertThat(count(db, "SELECT COUNT(*) FROM (SELECT unit_key FROM ledger WHERE outcome = 'stored'"
                    + " GROUP BY unit_key HAVING COUNT(*) > 1) d")).isZero();
        }
        long leftInFlight = count(db, "SELECT COUNT(*) FROM calls_in_flight WHERE state = 'in_flight'");
        Process resume = start(dir, 9);
        assertThat(resume.waitFor(90, TimeUnit.SECONDS)).as(log(9)).isTrue();
        assertThat(resume.exitValue()).as(log(9)).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM calls_in_flight WHERE state = 'unconfirmed'"))
                .as("the calls the last kill left in flight are unconfirmed (earlier ones too)")
                .isGreaterThanOrEqualTo(leftInFlight);
        assertThat(count(db, "SELECT COUNT(*) FROM calls_in_flight WHERE state = 'in_flight'")).isZero();
        assertThat(count(db, "SELECT COUNT(DISTINCT unit_key) FROM conversations"))
                .isEqualTo(count(db, "SELECT COUNT(*) FROM conversations"));
        Process status = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "status", "--project", dir.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("status.log").toFile()).start();
        assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(tmp.resolve("status.log"))).contains("possibly billed by");
    }

    private Process start(Path project, int n, String... extra) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "generate", "--project", project.toString(), "--concurrency", "4"));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("child" + n + ".log").toFile());
        pb.environment().put(ProviderConnection.SIMULATED_LATENCY_ENV, "150-300");
        return pb.start();
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private String log(int n) {
        try {
            return Files.readString(tmp.resolve("child" + n + ".log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }

    private static long count(Path db, String sql) throws SQLException { return (long) sum(db, sql); }

    private static double sum(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getDouble(1) : 0;
        }
    }
}

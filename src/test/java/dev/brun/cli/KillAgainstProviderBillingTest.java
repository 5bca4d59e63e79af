package dev.brun.cli;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.plan.PriceTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 during a run, three times, then a resume, checked against the provider's own invoice: what the
 * ledger confirms is exactly what was billed for the replies it stored, and confirmed plus unconfirmed
 * covers everything billed (a crash never hides a billed call).
 */
class KillAgainstProviderBillingTest {
    private static final PriceTable PRICES = PriceTable.defaults();
    @TempDir Path tmp;
    private SimulatedProvider sim;

    @AfterEach
    void stop() { if (sim != null) sim.close(); }

    @Test
    void killedRunsHideNoBilledCall() throws Exception {
        sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT.withLatency(Duration.ofMillis(150), Duration.ofMillis(300)),
                dev.brun.run.SimulatedUnits.of(dev.brun.pack.PackLoader.loadBuiltin("financial-planning")));
        sim.start();
        String project = tmp.resolve("p").toString();
        assertThat(CliRun.of("init", project, "--pack", "financial-planning").exitCode()).isZero();
        Path key = tmp.resolve("anthropic.key");
        Files.writeString(key, "ANTHROPIC_API_KEY=sk-ant-test-key\n");
        Files.writeString(Path.of(project, "brun.yaml"), "\napi_key_file: " + key + "\n", StandardOpenOption.APPEND);
        assertThat(CliRun.of("plan", "--project", project, "--only", "persona=overwhelmed_avoider,arc=confusion_to_clarity").exitCode()).isZero();
        Path db = Path.of(project, "brun.db");

        for (int round = 0; round < 3; round++) {
            long before = count(db, "SELECT COUNT(*) FROM conversations");
            Process child = generate(project, round);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (count(db, "SELECT COUNT(*) FROM conversations") < before + 3 && System.nanoTime() < deadline) Thread.sleep(50);
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        Process resume = generate(project, 9);
        assertThat(resume.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(resume.exitValue()).as(Files.readString(tmp.resolve("child9.log"))).isZero();

        Map<String, Double> billed = new HashMap<>();
        for (FakeProviderServer.Billed b : sim.server().billed()) billed.put(b.requestId(), PRICES.cost(b.model(), b.usage(), false));
        double billedTotal = billed.values().stream().mapToDouble(Double::doubleValue).sum();
        List<String[]> lines = rows(db, "SELECT request_id, cost_usd FROM ledger");
        for (String[] line : lines)
            assertThat(Double.parseDouble(line[1])).as("the ledger line of %s is what the provider billed for it", line[0])
                    .isCloseTo(billed.getOrDefault(line[0], -1.0), org.assertj.core.data.Offset.offset(1e-12));
        double confirmed = sum(db, "SELECT COALESCE(SUM(cost_usd), 0) FROM ledger");
        double unconfirmed = sum(db, "SELECT COALESCE(SUM(expected_usd), 0) FROM calls_in_flight WHERE state = 'unconfirmed'");
        assertThat(billedTotal).as("kills left billed calls without a stored reply").isGreaterThan(confirmed);
        assertThat(confirmed + unconfirmed + 1e-9).as("confirmed plus unconfirmed covers the invoice").isGreaterThanOrEqualTo(billedTotal);
        assertThat(count(db, "SELECT COUNT(DISTINCT unit_key) FROM conversations")).isEqualTo(count(db, "SELECT COUNT(*) FROM conversations"));
        assertThat(count(db, "SELECT COUNT(*) FROM units WHERE state <> 'done'")).isZero();
    }

    private Process generate(String project, int n) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "generate", "--project", project,
                "--provider", "anthropic", "--concurrency", "4")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child" + n + ".log").toFile());
        pb.environment().put("ANTHROPIC_BASE_URL", sim.baseUrl().toString());
        return pb.start();
    }

    private static long count(Path db, String sql) throws SQLException { return (long) sum(db, sql); }

    private static double sum(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getDouble(1) : 0;
        }
    }

    private static List<String[]> rows(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String[]> out = new java.util.ArrayList<>();
            while (rs.next()) out.add(new String[] {rs.getString(1), rs.getString(2)});
            return out;
        }
    }
}

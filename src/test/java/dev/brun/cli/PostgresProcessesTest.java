package dev.brun.cli;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.RecordedRequest;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.plan.PriceTable;
import dev.brun.run.ReplySpool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real {@code brun generate} processes on an embedded PostgreSQL server of their own, against the simulated
 * Anthropic server of this JVM (what it billed is counted there, not read from the ledger): two processes share
 * one cap, and a database that goes away mid-run loses no paid reply.
 */
class PostgresProcessesTest {
    private static final PriceTable PRICES = PriceTable.defaults();
    @TempDir Path tmp;
    private SimulatedProvider sim;
    private EmbeddedPostgres pg;
    private int port;
    private String url;
    private String project;

    @BeforeEach
    void start() throws IOException {
        sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT.withLatency(Duration.ofMillis(150), Duration.ofMillis(300)),
                dev.brun.run.SimulatedUnits.of(dev.brun.pack.PackLoader.loadBuiltin("financial-planning")));
        sim.start();
        try (ServerSocket s = new ServerSocket(0)) { port = s.getLocalPort(); }
        pg = postgres();
        url = pg.getJdbcUrl("postgres", "postgres");
        project = tmp.resolve("p").toString();
        assertThat(CliRun.of("init", project, "--pack", "financial-planning").exitCode()).isZero();
        Path key = tmp.resolve("anthropic.key");
        Files.writeString(key, "ANTHROPIC_API_KEY=sk-ant-test-key\n");
        Files.writeString(Path.of(project, "brun.yaml"), "\napi_key_file: " + key + "\n", StandardOpenOption.APPEND);
        CliRun plan = CliRun.of("plan", "--project", project, "--db", url, "--only", "persona=overwhelmed_avoider");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
    }

    @AfterEach
    void stop() throws IOException {
        if (pg != null) pg.close();
        sim.close();
    }

    /** The same data folder and port each time (never cleaned: that happens at close), so a restarted server is the same database. */
    private EmbeddedPostgres postgres() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(tmp.resolve("pgdata")).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off").start();
    }

    @Test
    void twoProcessesOnPostgresSpendNoMoreThanTheCapPlusOneCall() throws Exception {
        Process first = generate(0, "--limit", "4");
        assertThat(first.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(log(0)).isZero();
        double perCall = billedUsd() / sim.server().billed().size();
        double cap = billedUsd() + 12 * perCall;
        String budget = String.format(Locale.ROOT, "%.6f", cap);

        Process a = generate(1, "--budget", budget);
        Process b = generate(2, "--budget", budget);
        assertThat(a.waitFor(120, TimeUnit.SECONDS)).as(log(1)).isTrue();
        assertThat(b.waitFor(120, TimeUnit.SECONDS)).as(log(2)).isTrue();

        double largestCall = sim.server().billed().stream().mapToDouble(this::usd).max().orElseThrow();
        assertThat(billedUsd()).as("what the provider billed, both processes together").isLessThanOrEqualTo(cap + largestCall);
        assertThat(count("SELECT COUNT(*) FROM conversations")).as("the budget was used, not refused").isGreaterThan(8);
        assertThat(count("SELECT COUNT(*) FROM units WHERE state = 'pending'")).as("the cap stopped the run").isPositive();
        assertThat(log(1) + log(2)).contains("budget");
        assertThat(sum("SELECT SUM(cost_usd) FROM ledger")).as("the ledger matches the invoice")
                .isCloseTo(billedUsd(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aDatabaseThatGoesAwayMidRunLosesNoPaidReplyAndTheNextRunStoresThemWithoutCallingAgain() throws Exception {
        Process run = generate(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count("SELECT COUNT(*) FROM conversations") < 6 && System.nanoTime() < deadline) Thread.sleep(100);
        pg.close();
        pg = null;
        assertThat(run.waitFor(10, TimeUnit.SECONDS)).as("the process ends within 10 s of losing its database").isTrue();

        String err = log(0);
        assertThat(run.exitValue()).as(err).isEqualTo(3);
        List<String> errors = err.lines().filter(l -> l.startsWith("error:")).toList();
        assertThat(errors).as(err).hasSize(1);
        assertThat(errors.getFirst()).contains("database stopped answering").contains("brun generate");
        assertThat(err).as("no stack traces").doesNotContain("\tat ").doesNotContain("Exception in");

        ReplySpool spool = ReplySpool.in(Path.of(project));
        List<ReplySpool.Spooled> kept = spool.read();
        assertThat(kept).as("replies that arrived after the database went away are kept on disk").isNotEmpty();
        assertThat(errors.getFirst()).contains(kept.size() + " paid repl");
        Set<String> keptBodies = kept.stream().map(s -> sim.server().requestFor(s.result().requestId()).orElseThrow().body())
                .collect(Collectors.toSet());
        int sentBefore = sim.server().requests(FakeProviderServer.MESSAGES).size();

        pg = postgres();
        Process resume = generate(1, "--limit", "5");
        assertThat(resume.waitFor(90, TimeUnit.SECONDS)).as(log(1)).isTrue();
        assertThat(resume.exitValue()).as(log(1)).isZero();
        assertThat(log(1)).contains("Stored " + kept.size() + " reply(ies) kept while the database was away");

        List<RecordedRequest> sentAfter = sim.server().requests(FakeProviderServer.MESSAGES);
        assertThat(sentAfter.subList(sentBefore, sentAfter.size())).as("no second call for a spooled reply")
                .noneMatch(r -> keptBodies.contains(r.body()));
        for (ReplySpool.Spooled s : kept) {
            assertThat(count("SELECT COUNT(*) FROM conversations WHERE unit_key = '" + s.unitKey() + "'")).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM ledger WHERE unit_key = '" + s.unitKey() + "' AND request_id = '"
                    + s.result().requestId() + "'")).isEqualTo(1);
        }
        assertThat(spool.isEmpty()).as("the spool is removed once stored").isTrue();
        assertThat(count("SELECT COUNT(*) FROM calls_in_flight WHERE state = 'in_flight'")).isZero();
        assertThat(count("SELECT COUNT(DISTINCT unit_key) FROM conversations")).isEqualTo(count("SELECT COUNT(*) FROM conversations"));
        assertThat(sum("SELECT SUM(cost_usd) FROM ledger")).as("nothing is booked that was not billed")
                .isLessThanOrEqualTo(billedUsd() + 1e-9);
    }

    private Process generate(int n, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "generate", "--project", project, "--db", url, "--provider", "anthropic", "--concurrency", "4"));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(tmp.resolve("err" + n + ".log").toFile())
                .redirectOutput(tmp.resolve("out" + n + ".log").toFile());
        pb.environment().put("ANTHROPIC_BASE_URL", sim.baseUrl().toString());
        return pb.start();
    }

    private double billedUsd() {
        return sim.server().billed().stream().mapToDouble(this::usd).sum();
    }

    private double usd(FakeProviderServer.Billed b) {
        return PRICES.cost(b.model(), b.usage(), false);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private String log(int n) {
        try {
            return Files.readString(tmp.resolve("err" + n + ".log")) + Files.readString(tmp.resolve("out" + n + ".log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private long count(String sql) throws SQLException { return (long) sum(sql); }

    private double sum(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getDouble(1) : 0;
        } catch (SQLException e) {
            if (pg == null) return 0;
            throw e;
        }
    }
}

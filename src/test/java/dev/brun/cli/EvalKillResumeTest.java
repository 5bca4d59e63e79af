package dev.brun.cli;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.run.ProviderConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 of a process running brun eval, then the same command again: nothing asked or judged twice, the report complete. */
class EvalKillResumeTest {
    @TempDir Path dir;
    private EvalFixture fx;
    private FakeProviderServer adapter;

    @BeforeEach
    void setUp() throws Exception {
        fx = new EvalFixture(dir);
        adapter = fx.adapter(null);
        adapter.latency(Duration.ofMillis(150), Duration.ofMillis(250)); // the kill lands while replies are on the wire
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(ProviderConnection.OPENAI_BASE_URL_PROPERTY);
        adapter.close();
        fx.close();
    }

    @Test
    void aKilledEvalResumesWithoutAskingOrJudgingTwice() throws Exception {
        Path db = fx.project.resolve("brun.db");
        List<String> args = List.of("eval", "--project", fx.project.toString(), "--endpoint", EvalFixture.url(adapter), "--model", "lora",
                "--judge", EvalFixture.JUDGE_MODEL, "--concurrency", "1");
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
                "-D" + ProviderConnection.OPENAI_BASE_URL_PROPERTY + "=" + fx.judgeUrl(), Main.class.getName()));
        command.addAll(args);
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count(db, "SELECT COUNT(*) FROM eval_judgements") < 6 && System.nanoTime() < deadline && child.isAlive()) Thread.sleep(20);
        assertThat(child.isAlive()).as("killed midway, not after the end: %s", Files.exists(log) ? Files.readString(log) : "").isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long repliesAtKill = count(db, "SELECT COUNT(*) FROM eval_replies");
        long verdictsAtKill = count(db, "SELECT COUNT(*) FROM eval_judgements");
        assertThat(verdictsAtKill).isGreaterThanOrEqualTo(6);
        assertThat(repliesAtKill).isPositive();
        int adapterCallsAtKill = adapter.requests(FakeProviderServer.CHAT_COMPLETIONS).size();
        int judgeCallsAtKill = fx.judge.requests(FakeProviderServer.CHAT_COMPLETIONS).size();

        System.setProperty(ProviderConnection.OPENAI_BASE_URL_PROPERTY, fx.judgeUrl());
        CliRun rerun = CliRun.of(new ArrayList<>(args) {{ add("--json"); }}.toArray(String[]::new));
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        JsonNode report = TestProject.json(rerun.out());
        assertThat(report.path("complete").asBoolean()).as("the report is complete after the rerun").isTrue();
        long replies = count(db, "SELECT COUNT(*) FROM eval_replies");
        long verdicts = count(db, "SELECT COUNT(*) FROM eval_judgements");
        assertThat(verdicts).isEqualTo(3 * replies);
        assertThat(report.path("expected_replies").asLong()).isEqualTo(replies);
        assertThat(repliesAtKill).as("the kill left replies to do").isLessThan(replies);
        assertThat(report.at("/calls/replies").asLong()).as("the rerun asks only for what was not stored").isEqualTo(replies - repliesAtKill);
        assertThat(report.at("/calls/judge").asLong()).isEqualTo(verdicts - verdictsAtKill);

        // over both processes: one request per stored reply and verdict, plus at most the one call on the wire at the kill
        long unconfirmed = count(db, "SELECT COUNT(*) FROM calls_in_flight WHERE state = 'unconfirmed' AND phase = 'eval'");
        assertThat(adapter.requests(FakeProviderServer.CHAT_COMPLETIONS).size()).isBetween((int) replies, (int) replies + 1);
        assertThat(fx.judge.requests(FakeProviderServer.CHAT_COMPLETIONS).size() - verdicts)
                .as("a verdict is asked for again only if its call was on the wire at the kill (then counted as possibly billed)")
                .isLessThanOrEqualTo(unconfirmed);
        assertThat(adapterCallsAtKill + judgeCallsAtKill).isGreaterThan(0);
        assertThat(count(db, "SELECT COUNT(*) FROM calls_in_flight WHERE state = 'in_flight'")).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM (SELECT unit_key FROM ledger WHERE phase = 'eval' GROUP BY unit_key HAVING COUNT(*) > 1) d"))
                .as("no verdict billed twice").isZero();
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static long count(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) return 0;
            throw e;
        }
    }
}

package dev.brun.run;

import dev.brun.cli.CliRun;
import dev.brun.llm.sim.LongReplies;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.pack.PackLoader;
import dev.brun.project.Project;
import dev.brun.store.EmbeddedPostgresServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs against the simulator in token-bucket mode (requests, uncached input and output tokens per scaled minute,
 * output binding, ~3,000-token replies): 429s stay under 1% of calls for one process and for three processes on one
 * PostgreSQL project, whose pacers share their state through the database.
 * Counts are asserted, never times.
 */
class TokenBucketPacingTest {
    /** A minute scaled to 4 s; output tokens bind (about 15 replies a scaled minute), requests and input do not. */
    static final TokenBucketRuns.Limits LIMITS = new TokenBucketRuns.Limits(1_000, 2_000_000, 45_000, Duration.ofSeconds(4),
            Duration.ofMillis(600), Duration.ofMillis(900), 3_000, 400);

    @TempDir Path tmp;

    @Test
    void oneProcessStaysUnderOnePercent429s() throws Exception {
        Path dir = EngineFixtures.plannedProject(tmp.resolve("p"), "persona=overwhelmed_avoider");
        try (Project project = Project.open(dir);
             SimulatedProvider sim = new SimulatedProvider(LIMITS.settings(), SimulatedUnits.of(project))) {
            LongReplies replies = LongReplies.install(sim, LIMITS.meanReplyTokens(), LIMITS.replySpread());
            TokenBucketRuns.Result r = TokenBucketRuns.run(List.of(project), sim, replies, LIMITS, 16, 60);
            System.out.println(r.line("test: 1 process"));
            assertThat(r.done()).isEqualTo(60);
            assertThat(r.admitted()).isGreaterThanOrEqualTo(60);
            assertThat(r.rateLimitedShare()).as("429s among %d calls", r.admitted() + r.rateLimited()).isLessThan(0.01);
            assertThat(r.meanOutputTokens()).as("replies as long as a real model's").isBetween(2_700.0, 3_500.0);
        }
    }

    @Test
    @Tag("postgres")
    void threeProcessesOnOnePostgresProjectStayUnderOnePercent429sAndSaturateTheLimit() throws Exception {
        String url = EmbeddedPostgresServer.freshDatabaseUrl();
        Path dir = tmp.resolve("pg");
        assertThat(CliRun.of("init", dir.toString()).exitCode()).isZero();
        CliRun plan = CliRun.of("plan", "--project", dir.toString(), "--db", url, "--only", "persona=overwhelmed_avoider");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        List<Project> processes = new ArrayList<>();
        try (SimulatedProvider sim = new SimulatedProvider(LIMITS.settings(), SimulatedUnits.of(PackLoader.loadBuiltin("financial-planning")))) {
            for (int i = 0; i < 3; i++) processes.add(Project.open(dir, url));
            LongReplies replies = LongReplies.install(sim, LIMITS.meanReplyTokens(), LIMITS.replySpread());
            TokenBucketRuns.Result r = TokenBucketRuns.run(processes, sim, replies, LIMITS, 8, 25);
            System.out.println(r.line("test: 3 processes"));
            assertThat(r.done()).isEqualTo(75);
            assertThat(processes.getFirst().db().conversations().count(dev.brun.store.ConversationFilter.all())).isEqualTo(75);
            // The three pacers share what they know through the database (the newest headers any of them got, every
            // call any of them reserved since), so they start with one probe and pace as one process would.
            assertThat(r.rateLimitedShare()).as("429s among %d calls", r.admitted() + r.rateLimited()).isLessThan(0.01);
            assertThat(r.steadyShareOfOutputLimit()).as("the output limit stays saturated").isGreaterThan(0.9);
            assertThat(processes.getFirst().db().pacing().read(ProviderConnection.scope("simulated", sim.start()), 0).calls())
                    .as("every call's reservation ended with it").isEmpty();
        } finally {
            for (Project p : processes) p.close();
        }
    }
}

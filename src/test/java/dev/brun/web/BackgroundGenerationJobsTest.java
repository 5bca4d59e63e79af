package dev.brun.web;

import dev.brun.pack.Phase;
import dev.brun.run.LeaseOwner;
import dev.brun.plan.PlannedUnit;
import dev.brun.store.Database;
import dev.brun.store.JobRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundGenerationJobsTest {
    @TempDir Path dir;
    Database db;

    @BeforeEach
    void open() { db = Database.openSqlite(dir.resolve("brun.db")); }

    @AfterEach
    void close() { db.close(); }

    @Test
    void progressIsMirroredIntoTheJobRowUntilDone() throws Exception {
        GenerationRun.Factory factory = (order, progress) -> new GenerationRun() {
            @Override public String run() {
                for (int i = 1; i <= order.units().size(); i++) progress.update(i, order.units().size(), "unit " + i);
                return "generated " + order.units().size();
            }
            @Override public void requestStop() {}
        };
        try (var jobs = new BackgroundGenerationJobs(db.jobs(), db.units(), factory)) {
            String id = jobs.start(order(5));
            JobRecord done = await(id, j -> !j.state().equals("running"));
            assertThat(done.state()).isEqualTo("done");
            assertThat(done.done()).isEqualTo(5);
            assertThat(done.total()).isEqualTo(5);
            assertThat(done.message()).isEqualTo("generated 5");
        }
    }

    @Test
    void cancelAsksTheRunToStopAndAFailureEndsTheJobAsFailed() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        GenerationRun.Factory factory = (order, progress) -> new GenerationRun() {
            @Override public String run() {
                progress.update(1, order.units().size(), "first unit");
                try {
                    if (!stop.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never stopped");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("stopped after 1 unit");
            }
            @Override public void requestStop() { stop.countDown(); }
        };
        try (var jobs = new BackgroundGenerationJobs(db.jobs(), db.units(), factory)) {
            String id = jobs.start(order(3));
            await(id, j -> j.done() == 1);
            assertThat(jobs.cancel(id)).isTrue();
            JobRecord ended = await(id, j -> !j.state().equals("running"));
            assertThat(ended.state()).isEqualTo("failed");
            assertThat(ended.message()).contains("stopped after 1 unit");
            assertThat(jobs.cancel(id)).isFalse();
        }
    }

    @Test
    void aJobWhoseServerDiedIsInterruptedAfterARestartAndItsLeasedUnitsArePendingAgain() {
        LeaseOwner here = LeaseOwner.current();
        // A process id that does not exist on this host: the server that ran the job was killed.
        String dead = new LeaseOwner(here.host(), Long.MAX_VALUE - 7, "gone0000").id();
        db.units().insertIfAbsent(List.of(
                new dev.brun.store.PlannedUnit("seed:p:a:t:0", "hash", "seed", "p", "a", "t", 0),
                new dev.brun.store.PlannedUnit("seed:p:a:t:1", "hash", "seed", "p", "a", "t", 1)));
        assertThat(db.units().claim(dead, 2, Duration.ofHours(1), "seed")).hasSize(2);
        String deadJob = db.jobs().start(BackgroundGenerationJobs.KIND, 4, "4 units", dead);
        db.jobs().progress(deadJob, 3, 4, "unit 3");
        String liveJob = db.jobs().start(BackgroundGenerationJobs.KIND, 4, "4 units", here.id());

        GenerationRun.Factory never = (order, progress) -> { throw new AssertionError("nothing is started here"); };
        try (var jobs = new BackgroundGenerationJobs(db.jobs(), db.units(), never)) {
            JobRecord interrupted = db.jobs().find(deadJob).orElseThrow();
            assertThat(interrupted.state()).isEqualTo("interrupted");
            assertThat(interrupted.message()).contains("3 of 4 done").contains("pending again");
            assertThat(interrupted.endedAt()).isNotNull();
            assertThat(db.units().leased()).isEmpty();
            assertThat(db.units().pending("seed")).hasSize(2);
            // A job of a process that is alive is left alone.
            assertThat(db.jobs().find(liveJob).orElseThrow().state()).isEqualTo("running");
        }
    }

    private JobRecord await(String id, Predicate<JobRecord> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JobRecord j = db.jobs().find(id).orElseThrow();
            if (condition.test(j)) return j;
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " never reached the expected state: " + db.jobs().find(id));
    }

    private static GenerationOrder order(int n) {
        List<PlannedUnit> units = IntStream.range(0, n)
                .mapToObj(i -> new PlannedUnit("k" + i, "hash", Phase.SEED, "p", "a", "t", i)).toList();
        return new GenerationOrder(Phase.SEED, "claude-sonnet-4-5", 0.7, units, n + " units");
    }
}

package dev.brun.web;

import dev.brun.run.LeaseOwner;
import dev.brun.store.JobDao;
import dev.brun.store.UnitDao;
import dev.brun.store.UnitRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs each generation order on its own virtual thread and mirrors its progress into a job row, which the
 * pages poll. Cancel asks the run to stop; the row ends as cancelled (with how far it got), or failed when
 * the run broke.
 */
public final class BackgroundGenerationJobs implements GenerationJobs {
    static final String KIND = "generate";
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundGenerationJobs.class);

    private final JobDao jobs;
    private final UnitDao units;
    private final GenerationRun.Factory runs;
    private final String owner = LeaseOwner.current().id();
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private record Running(GenerationRun run, Thread thread, java.util.concurrent.atomic.AtomicBoolean cancelled,
                           java.util.concurrent.atomic.AtomicBoolean ended) {}

    /** Jobs over the project's job and unit tables; jobs left running by a server that died are marked interrupted. */
    public BackgroundGenerationJobs(JobDao jobs, UnitDao units, GenerationRun.Factory runs) {
        this.jobs = jobs;
        this.units = units;
        this.runs = runs;
        recoverInterrupted();
    }

    /**
     * A job still "running" whose process is gone (killed, crashed, machine restarted) never ends by itself: it is
     * marked interrupted, and the units its process still leased go back to pending so the next run takes them.
     * Jobs of live processes (another server on this host, or any on another host) are left alone.
     */
    private void recoverInterrupted() {
        int returned = 0;
        for (UnitRecord u : units.leased())
            if (LeaseOwner.parse(u.leaseOwner()).map(LeaseOwner::deadOnThisHost).orElse(false) && units.returnToPending(u.key()))
                returned++;
        for (var e : jobs.runningOwners().entrySet()) {
            boolean dead = e.getValue() == null || LeaseOwner.parse(e.getValue()).map(LeaseOwner::deadOnThisHost).orElse(false);
            if (!dead) continue;
            var job = jobs.find(e.getKey()).orElseThrow();
            jobs.interrupted(job.id(), "interrupted: the server stopped while this job ran (" + job.done() + " of " + job.total()
                    + " done); its unfinished units are pending again: start the same generation to finish them");
        }
        if (returned > 0) LOG.info("{} unit(s) leased by a server that died went back to pending", returned);
    }

    @Override
    public String start(GenerationOrder order) {
        long total = order.units().size();
        String id = jobs.start(KIND, total, order.description(), owner);
        GenerationRun run = runs.create(order, (done, all, message) -> jobs.progress(id, done, all, message));
        var cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        var ended = new java.util.concurrent.atomic.AtomicBoolean();
        Thread thread = Thread.ofVirtual().name("brun-web-generate-" + id).unstarted(() -> {
            try {
                String summary = run.run();
                ended.set(true);
                if (cancelled.get()) jobs.cancelled(id, summary);
                else jobs.finish(id, true, summary);
            } catch (RuntimeException e) {
                ended.set(true);
                LOG.warn("generation job {} failed: {}", id, e.getMessage());
                jobs.finish(id, false, "failed: " + e.getMessage());
            } finally {
                running.remove(id);
            }
        });
        running.put(id, new Running(run, thread, cancelled, ended));
        thread.start();
        return id;
    }

    @Override
    public boolean cancel(String jobId) {
        Running r = running.get(jobId);
        if (r == null) {
            // Not run by this server: if its process is gone, cancelling ends it as interrupted instead of doing nothing.
            recoverInterrupted();
            return false;
        }
        // a run that has returned is only writing its final row: there is nothing left to cancel
        if (r.ended().get()) return false;
        // The note first: a run that stops at once must not have its final summary replaced by it.
        jobs.find(jobId).ifPresent(j -> jobs.progress(jobId, j.done(), j.total(), "stopping: calls in flight finish first"));
        r.cancelled().set(true);
        r.run().requestStop();
        return true;
    }

    @Override
    public void close() {
        running.values().forEach(r -> r.run().requestStop());
        for (Running r : running.values()) {
            try {
                r.thread().join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

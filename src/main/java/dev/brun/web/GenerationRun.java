package dev.brun.web;

/** One generation run as the web app drives it: run() blocks until the order is done or stopped. */
public interface GenerationRun {
    /** Runs to the end; returns a one-line summary for the job row. Throws when the run fails. */
    String run();

    /** Asks the run to stop: no new calls start, calls in flight finish and are stored. */
    void requestStop();

    /** Receives progress while a run works: done of total units, and a short message. */
    @FunctionalInterface
    interface Progress {
        void update(long done, long total, String message);
    }

    /** Makes the run for an order; the web app calls it once per started job. */
    @FunctionalInterface
    interface Factory {
        GenerationRun create(GenerationOrder order, Progress progress);
    }
}

package dev.brun.web;

/**
 * Runs generation orders in the background, one job row each (JobDao), so the pages can poll progress.
 * {@code brun serve} gives the web app the implementation that drives the generation engine.
 */
public interface GenerationJobs extends AutoCloseable {
    /** Starts the order and returns its job id at once. */
    String start(GenerationOrder order);

    /** Asks the job's run to stop (calls in flight finish); false when no such job is running here. */
    boolean cancel(String jobId);

    /** Stops every running job and waits briefly for them to end. */
    @Override
    void close();
}

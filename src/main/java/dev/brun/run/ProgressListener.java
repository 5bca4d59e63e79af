package dev.brun.run;

/** Told after every finished unit; called from worker threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = p -> { };

    void onProgress(RunProgress progress);
}

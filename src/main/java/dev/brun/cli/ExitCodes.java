package dev.brun.cli;

import dev.brun.BrunException;
import dev.brun.WorkFailedException;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a run that did not finish cleanly ends the process, so scripts can tell "done" from "partly failed" from
 * "stopped with work left": 0 everything asked for is done, 1 some unit failed, 3 stopped early with work left,
 * 130 Ctrl-C (the JVM's own code for SIGINT).
 */
final class ExitCodes {
    static final int STOPPED_EARLY = 3;
    static final String HELP = "Exit codes: 0 everything asked for is done; 1 a unit failed (see 'status'); "
            + "2 bad input; 3 stopped early with work left (budget, provider, database gone); 130 Ctrl-C.";

    private ExitCodes() {}

    /** Throws the exception that ends the process with the right code; returns when the run finished cleanly. */
    static void requireComplete(int failed, Map<String, Integer> failuresByReason, String stopReason, String retryCommand,
                                String continueCommand) {
        if (failed > 0) {
            String reasons = failuresByReason.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", "));
            throw new WorkFailedException(failed + " unit(s) failed (" + reasons + "); see 'brun status' for an example of each, and '" + retryCommand + "' to try them again"
                    + (stopReason == null ? "" : "; the run also stopped early: " + stopReason));
        }
        if (stopReason != null && !stopReason.equals("stopped by request"))
            throw new BrunException(STOPPED_EARLY, "stopped early with work left: " + stopReason + "; continue with '"
                    + continueCommand + "'" + (stopReason.startsWith("budget") ? " after raising --budget or budget_usd in brun.yaml" : ""));
    }
}

package dev.brun.store;

/** How many units failed for one reason, with one of their failure details (already redacted when stored) as an example. */
public record FailureCount(String reason, long count, String example) {
    public FailureCount(String reason, long count) {
        this(reason, count, null);
    }
}

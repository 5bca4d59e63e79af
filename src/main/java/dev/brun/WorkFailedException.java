package dev.brun;

/** The input was fine but the work could not be done (provider down, disk full, budget reached): exit code 1. */
public class WorkFailedException extends BrunException {
    public WorkFailedException(String message) { super(1, message); }
    public WorkFailedException(String message, Throwable cause) { super(1, message, cause); }
}

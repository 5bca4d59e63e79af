package dev.brun;

/**
 * A failure a user can act on. The message says what went wrong, where, and what to do; exitCode is
 * what the CLI exits with (1 = the work failed, 2 = bad usage or bad input).
 */
public class BrunException extends RuntimeException {
    private final int exitCode;

    public BrunException(int exitCode, String message) { this(exitCode, message, null); }

    public BrunException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}

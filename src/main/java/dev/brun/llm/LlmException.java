package dev.brun.llm;

import dev.brun.BrunException;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider call that failed. The kind decides what happens next: AUTH stops the whole run, BAD_REQUEST
 * and INVALID_RESPONSE fail the unit, the rest are transient and retried by {@link RetryPolicy}. The
 * message names the provider, the HTTP status and the provider's own message, and never the API key.
 */
public final class LlmException extends BrunException {

    public enum Kind {
        /** 401/403: the key is wrong or lacks permission; every further call would fail too. */
        AUTH(false),
        /** 400/404/413 and other 4xx: this request will never succeed as sent. */
        BAD_REQUEST(false),
        /** 429. */
        RATE_LIMITED(true),
        /** 529 overloaded_error. */
        OVERLOADED(true),
        /** 500/502/503/504 and other 5xx. */
        SERVER(true),
        /** Connection refused, reset, or closed mid-body. */
        NETWORK(true),
        /** No complete reply within the request timeout. */
        TIMEOUT(true),
        /** A 2xx whose body is not the protocol's JSON. Not retried: it may have been billed. */
        INVALID_RESPONSE(false),
        /** The run is stopping (Ctrl-C, cancel): this call was never sent, so nothing was billed. */
        STOPPED(false);

        private final boolean transientFault;

        Kind(boolean transientFault) { this.transientFault = transientFault; }

        public boolean retryable() { return transientFault; }

        /** The kind an HTTP error status stands for. */
        public static Kind ofStatus(int status) {
            return switch (status) {
                case 401, 403 -> AUTH;
                case 408 -> TIMEOUT;
                case 429 -> RATE_LIMITED;
                case 529 -> OVERLOADED;
                default -> status >= 500 ? SERVER : BAD_REQUEST;
            };
        }
    }

    private final Kind kind;
    private final int status;
    private final String providerMessage;
    private final Duration retryAfter;
    private final RateLimitSnapshot rateLimit;
    private final int attempts;

    public LlmException(Kind kind, int status, String message, String providerMessage, Duration retryAfter,
                        RateLimitSnapshot rateLimit, int attempts, Throwable cause) {
        super(1, message, cause);
        this.kind = kind;
        this.status = status;
        this.providerMessage = providerMessage == null ? "" : providerMessage;
        this.retryAfter = retryAfter;
        this.rateLimit = rateLimit == null ? RateLimitSnapshot.NONE : rateLimit;
        this.attempts = attempts;
    }

    public static LlmException of(Kind kind, int status, String message, String providerMessage) {
        return new LlmException(kind, status, message, providerMessage, null, null, 1, null);
    }

    public Kind kind() { return kind; }

    /** The HTTP status, or 0 when no response arrived. */
    public int status() { return status; }

    /** What the provider said, as it said it (already redacted of any key). */
    public String providerMessage() { return providerMessage; }

    /** How long the provider asked us to wait ({@code retry-after} / {@code retry-after-ms}). */
    public Optional<Duration> retryAfter() { return Optional.ofNullable(retryAfter); }

    public RateLimitSnapshot rateLimit() { return rateLimit; }

    /** How many attempts were made before giving up. */
    public int attempts() { return attempts; }

    /** True when the whole run must stop (bad or unauthorized key), not just this unit. */
    public boolean stopsRun() { return kind == Kind.AUTH; }

    public LlmException withAttempts(int n) {
        return new LlmException(kind, status, getMessage(), providerMessage, retryAfter, rateLimit, n, getCause());
    }
}

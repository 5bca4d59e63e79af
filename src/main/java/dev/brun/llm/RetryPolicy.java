package dev.brun.llm;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Which failures are retried and how long to wait before the next attempt: exponential backoff with full
 * jitter (a random wait between zero and base × 2^(attempt−1), capped), or at least the provider's
 * {@code retry-after} when it sent one. Only transient kinds are retried ({@link LlmException.Kind#retryable()}):
 * 429, 529, 5xx, network faults and timeouts; 400/401/403/404/413 never are.
 *
 * @param maxAttempts   attempts in total, including the first (1 = never retry)
 * @param baseDelay     the first backoff ceiling
 * @param maxDelay      the largest backoff ceiling
 * @param maxRetryAfter the longest provider-requested wait we accept; a longer one is cut to this
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        if (baseDelay.isNegative() || maxDelay.isNegative() || maxRetryAfter.isNegative())
            throw new IllegalArgumentException("retry delays must not be negative");
    }

    public RetryPolicy withMaxAttempts(int n) { return new RetryPolicy(n, baseDelay, maxDelay, maxRetryAfter); }

    /** Whether to try again after {@code attemptsMade} attempts ended with {@code failure}. */
    public boolean shouldRetry(LlmException failure, int attemptsMade) {
        return failure.kind().retryable() && attemptsMade < maxAttempts;
    }

    /** The wait before attempt {@code attemptsMade + 1}. */
    public Duration delayAfter(LlmException failure, int attemptsMade, RandomGenerator random) {
        long ceiling = backoffCeilingMillis(attemptsMade);
        long jittered = ceiling <= 0 ? 0 : random.nextLong(ceiling + 1);
        if (failure.retryAfter().isPresent()) {
            long asked = Math.min(failure.retryAfter().get().toMillis(), maxRetryAfter.toMillis());
            // Waiting exactly the asked time makes every waiting caller return at once; a little spread avoids that.
            long spread = Math.min(jittered, Math.max(1, baseDelay.toMillis()));
            return Duration.ofMillis(asked + spread);
        }
        return Duration.ofMillis(jittered);
    }

    private long backoffCeilingMillis(int attemptsMade) {
        int shift = Math.min(30, Math.max(0, attemptsMade - 1));
        long ceiling = baseDelay.toMillis() << shift;
        if (ceiling < 0 || ceiling > maxDelay.toMillis()) ceiling = maxDelay.toMillis();
        return ceiling;
    }
}

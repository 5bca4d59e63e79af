package dev.brun.llm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.random.RandomGenerator;

/**
 * The one place where calls are paced, limited, retried and counted. Every client runs each HTTP attempt
 * through {@link #run}; nothing else in brun retries a provider call.
 */
public final class Resilience {
    private static final Logger LOG = LoggerFactory.getLogger(Resilience.class);
    private final RetryPolicy retryPolicy;
    private final Pacer pacer;
    private final AdaptiveConcurrency concurrency;
    private final ClientStats stats;
    private final Sleeper sleeper;
    private final Clock clock;
    private final RandomGenerator random;
    private volatile boolean stopping;

    public Resilience(RetryPolicy retryPolicy, Pacer pacer, AdaptiveConcurrency concurrency, ClientStats stats,
                      Sleeper sleeper, Clock clock, RandomGenerator random) {
        this.retryPolicy = retryPolicy;
        this.pacer = pacer;
        this.concurrency = concurrency;
        this.stats = stats;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
    }

    /** Real time, the default retry policy, adaptive concurrency. */
    public static Resilience defaults() {
        return of(RetryPolicy.DEFAULT, AdaptiveConcurrency.auto(), Clock.systemUTC(), Sleeper.SYSTEM);
    }

    public static Resilience of(RetryPolicy retryPolicy, AdaptiveConcurrency concurrency, Clock clock, Sleeper sleeper) {
        return of(retryPolicy, concurrency, clock, sleeper, new LocalPacingState());
    }

    /** As {@link #of(RetryPolicy, AdaptiveConcurrency, Clock, Sleeper)}, pacing from this state (shared by processes or not). */
    public static Resilience of(RetryPolicy retryPolicy, AdaptiveConcurrency concurrency, Clock clock, Sleeper sleeper, PacingState pacing) {
        return new Resilience(retryPolicy, new Pacer(clock, sleeper, pacing), concurrency, new ClientStats(), sleeper, clock, new Random());
    }

    /** One HTTP attempt: its value and the rate-limit headers it came with. */
    @FunctionalInterface
    public interface Attempt<T> {
        Outcome<T> call();
    }

    public record Outcome<T>(T value, RateLimitSnapshot rateLimit) {}

    /** The value of the successful attempt and how many attempts it took. */
    public record Completed<T>(T value, int attempts) {}

    /**
     * Runs attempts until one succeeds, a failure is not retryable, or the policy's attempts are used up.
     *
     * @param expectedInputTokens  for pacing against input-token limits
     * @param expectedOutputTokens for pacing against output-token limits
     * @throws LlmException the last failure, with the number of attempts made
     */
    public <T> Completed<T> run(long expectedInputTokens, long expectedOutputTokens, Attempt<T> attempt) {
        return run("", expectedInputTokens, expectedOutputTokens, attempt);
    }

    /** As {@link #run(long, long, Attempt)}, naming the unit in the log lines about retries (BRUN_LOG_LEVEL=DEBUG). */
    public <T> Completed<T> run(String tag, long expectedInputTokens, long expectedOutputTokens, Attempt<T> attempt) {
        stats.callStarted();
        int attempts = 0;
        while (true) {
            if (stopping) {
                stats.callFailed();
                throw notSent(attempts);
            }
            LlmException failure;
            // The slot comes first so that reservations are only held by calls about to be sent.
            AdaptiveConcurrency.Permit permit = concurrency.acquire();
            try {
                Duration paced = pacer.reserve(expectedInputTokens, expectedOutputTokens, () -> stopping);
                if (!paced.isZero()) stats.paced(paced.toMillis());
                attempts++;
                stats.attemptMade();
                Outcome<T> outcome;
                try {
                    outcome = attempt.call();
                } catch (LlmException e) {
                    pacer.end(expectedInputTokens, expectedOutputTokens, e.rateLimit());
                    throw e;
                } catch (RuntimeException | Error e) {
                    pacer.release(expectedInputTokens, expectedOutputTokens);
                    throw e;
                }
                pacer.end(expectedInputTokens, expectedOutputTokens, outcome.rateLimit());
                concurrency.onSuccess();
                return new Completed<>(outcome.value(), attempts);
            } catch (LlmException e) {
                failure = e;
            } catch (CancellationException stoppedWhileWaiting) {
                continue; // nothing reserved, nothing sent: the check at the top ends the call
            } finally {
                permit.close();
            }
            stats.failedFor(failure.kind());
            if (failure.kind() == LlmException.Kind.RATE_LIMITED) concurrency.onRateLimited();
            // An interrupted thread is being stopped (Ctrl-C): no more attempts, whatever the failure.
            if (!retryPolicy.shouldRetry(failure, attempts) || Thread.currentThread().isInterrupted()) {
                stats.callFailed();
                LOG.debug("{}: giving up after {} attempt(s): {}", tag, attempts, failure.getMessage());
                throw failure.withAttempts(attempts);
            }
            if (stopping) continue; // a retry would be a new call: the unit goes back rather than fail
            stats.retried();
            Duration wait = retryPolicy.delayAfter(failure, attempts, random);
            LOG.debug("{}: attempt {}/{} failed ({} {}), retrying in {} ms", tag, attempts, retryPolicy.maxAttempts(),
                    failure.kind(), failure.status(), wait.toMillis());
            sleeper.sleep(wait);
        }
    }

    /** Calls not on the wire yet end with {@link LlmException.Kind#STOPPED}; see {@link LlmClient#stopSending()}. */
    public void stopSending() { stopping = true; }

    private LlmException notSent(int attempts) {
        return new LlmException(LlmException.Kind.STOPPED, 0, "the run is stopping; this call was not sent", "", null, null, attempts, null);
    }

    public ClientStats stats() { return stats; }

    public AdaptiveConcurrency concurrency() { return concurrency; }

    public RetryPolicy retryPolicy() { return retryPolicy; }

    public Clock clock() { return clock; }
}

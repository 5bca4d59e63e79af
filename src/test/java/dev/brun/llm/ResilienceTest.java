package dev.brun.llm;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ResilienceTest {
    private static LlmException failure(LlmException.Kind kind, int status, Duration retryAfter) {
        return new LlmException(kind, status, "x", "x", retryAfter, null, 1, null);
    }

    @Test
    void backoffGrowsExponentiallyWithFullJitterUnderTheCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMinutes(1));
        Random random = new Random(3);
        for (int attempt = 1; attempt <= 8; attempt++) {
            long ceiling = Math.min(2000, 100L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                Duration d = policy.delayAfter(failure(LlmException.Kind.SERVER, 500, null), attempt, random);
                assertThat(d.toMillis()).isBetween(0L, ceiling);
            }
        }
    }

    @Test
    void retryAfterIsAFloorAndIsCapped() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30));
        Duration d = policy.delayAfter(failure(LlmException.Kind.RATE_LIMITED, 429, Duration.ofSeconds(9)), 1, new Random(1));
        assertThat(d).isBetween(Duration.ofSeconds(9), Duration.ofMillis(9100));
        Duration capped = policy.delayAfter(failure(LlmException.Kind.RATE_LIMITED, 429, Duration.ofHours(1)), 1, new Random(1));
        assertThat(capped).isLessThanOrEqualTo(Duration.ofMillis(30_100));
    }

    @Test
    void retriesOnlyTransientFailuresAndOnlyUpToMaxAttempts() {
        RetryPolicy policy = RetryPolicy.DEFAULT.withMaxAttempts(3);
        for (int status : new int[]{429, 529, 500, 502, 503, 504}) {
            assertThat(policy.shouldRetry(failure(LlmException.Kind.ofStatus(status), status, null), 1)).as("status %d", status).isTrue();
        }
        for (int status : new int[]{400, 401, 403, 404, 413}) {
            assertThat(policy.shouldRetry(failure(LlmException.Kind.ofStatus(status), status, null), 1)).as("status %d", status).isFalse();
        }
        assertThat(policy.shouldRetry(failure(LlmException.Kind.NETWORK, 0, null), 2)).isTrue();
        assertThat(policy.shouldRetry(failure(LlmException.Kind.TIMEOUT, 0, null), 3)).isFalse();
        assertThat(policy.shouldRetry(failure(LlmException.Kind.INVALID_RESPONSE, 200, null), 1)).isFalse();
    }

    @Test
    void aimdHalvesOn429AndGrowsBackOnSuccess() {
        ManualTime time = new ManualTime();
        AdaptiveConcurrency limit = AdaptiveConcurrency.adaptive(16, 1, 32, time, Duration.ofSeconds(1));
        limit.onRateLimited();
        assertThat(limit.currentLimit()).isEqualTo(8);
        limit.onRateLimited(); // same burst: within the cool-down
        assertThat(limit.currentLimit()).isEqualTo(8);
        time.advance(Duration.ofSeconds(2));
        limit.onRateLimited();
        assertThat(limit.currentLimit()).isEqualTo(4);
        for (int i = 0; i < 5; i++) limit.onSuccess(); // +1/limit each: about one step per round of calls
        assertThat(limit.currentLimit()).isEqualTo(5);
        for (int i = 0; i < 10; i++) { time.advance(Duration.ofSeconds(2)); limit.onRateLimited(); }
        assertThat(limit.currentLimit()).isEqualTo(1);
    }

    @Test
    void slowStartDoublesPerRoundUntilTheFirst429() {
        ManualTime time = new ManualTime();
        AdaptiveConcurrency limit = AdaptiveConcurrency.adaptive(4, 1, 64, time, Duration.ofSeconds(1));
        for (int i = 0; i < 4; i++) limit.onSuccess(); // one round of 4 calls
        assertThat(limit.currentLimit()).isEqualTo(8);
        for (int i = 0; i < 8; i++) limit.onSuccess();
        assertThat(limit.currentLimit()).isEqualTo(16);
        limit.onRateLimited();
        assertThat(limit.currentLimit()).isEqualTo(8);
        for (int i = 0; i < 8; i++) limit.onSuccess(); // AIMD from here: one step per round
        assertThat(limit.currentLimit()).isEqualTo(8);
    }

    @Test
    void untilTheFirstReplyOnlyOneCallGoesOut() throws Exception {
        ManualTime time = new ManualTime();
        Pacer pacer = new Pacer(time, time);
        assertThat(pacer.reserve(100, 8_000)).isZero();
        java.util.concurrent.CompletableFuture<Duration> second = java.util.concurrent.CompletableFuture.supplyAsync(() -> pacer.reserve(100, 8_000));
        Thread.sleep(200);
        assertThat(second).as("waits for the first call's headers").isNotDone();
        pacer.release(100, 8_000);
        pacer.observe(new RateLimitSnapshot(null, null, null,
                new RateLimitSnapshot.Window(100_000, 97_000, time.instant().plusSeconds(2)), time.instant()));
        assertThat(second.get(5, TimeUnit.SECONDS)).isPositive();
        // headers known: calls that fit go at once, without probing
        assertThat(pacer.reserve(100, 8_000)).isZero();
    }

    @Test
    void fixedConcurrencyNeverChanges() {
        AdaptiveConcurrency limit = AdaptiveConcurrency.fixed(6);
        limit.onRateLimited();
        limit.onSuccess();
        assertThat(limit.currentLimit()).isEqualTo(6);
    }

    @Test
    void aPermitBlocksBeyondTheLimitUntilOneIsReleased() throws Exception {
        AdaptiveConcurrency limit = AdaptiveConcurrency.fixed(1);
        AdaptiveConcurrency.Permit held = limit.acquire();
        AtomicBoolean second = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (var p = limit.acquire()) {
                second.set(true);
            }
            done.countDown();
        });
        assertThat(done.await(150, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(second).isFalse();
        held.close();
        assertThat(done.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void pacerReservesLocallyBetweenHeadersAndWaitsOnlyForTheRefill() throws Exception {
        // real time: a waiting call polls for headers, and a manual clock would run ahead while it does
        Clock time = Clock.systemUTC();
        Pacer pacer = new Pacer(time, Sleeper.SYSTEM);
        // 98 of 100 requests used, full again in 10 s: the bucket refills 9.8 requests a second
        pacer.observe(new RateLimitSnapshot(new RateLimitSnapshot.Window(100, 2, time.instant().plusSeconds(10)), null, null, null, time.instant()));
        assertThat(pacer.reserve(10, 10)).isZero();
        assertThat(pacer.reserve(10, 10)).isZero();
        var third = java.util.concurrent.CompletableFuture.supplyAsync(() -> pacer.reserve(10, 10));
        Thread.sleep(200);
        assertThat(third).as("both requests are taken; the calls out will bring fresh headers").isNotDone();
        pacer.release(10, 10);
        pacer.release(10, 10);
        Instant now = time.instant();
        pacer.observe(new RateLimitSnapshot(new RateLimitSnapshot.Window(100, 0, now.plusSeconds(10)), null, null, null, now));
        Duration waited = third.get(5, TimeUnit.SECONDS);
        assertThat(waited).as("waited for headers, then for one request's refill, not for the whole reset").isPositive();
    }

    @Test
    void pacerChargesMaxTokensAtTheStartAndCountsNoCallTwice() throws Exception {
        // real time: a waiting call polls for headers, and a manual clock would run ahead while it does
        Clock time = Clock.systemUTC();
        Pacer pacer = new Pacer(time, Sleeper.SYSTEM);
        Instant now = time.instant();
        // output bucket of 60,000 per minute (1,000 a second), 20,000 left
        pacer.observe(new RateLimitSnapshot(null, null, null, new RateLimitSnapshot.Window(60_000, 20_000, now.plusSeconds(40)), now));
        assertThat(pacer.reserve(0, 8_000)).isZero();
        assertThat(pacer.reserve(0, 8_000)).isZero();
        var third = java.util.concurrent.CompletableFuture.supplyAsync(() -> pacer.reserve(0, 8_000));
        Thread.sleep(300); // longer than the grace within which a reply's headers may not count a call yet
        assertThat(third).as("4,000 left of 20,000 after two max_tokens charges").isNotDone();
        // the first call ends: the provider gives back what it did not use and says so
        pacer.release(0, 8_000);
        Instant later = time.instant();
        pacer.observe(new RateLimitSnapshot(null, null, null, new RateLimitSnapshot.Window(60_000, 9_000, later.plusSeconds(51)), later));
        assertThat(third.get(5, TimeUnit.SECONDS)).isPositive();
        // fresh headers counting every call sent before them: the pacer must not subtract those again
        Thread.sleep(300);
        Instant last = time.instant();
        pacer.observe(new RateLimitSnapshot(null, null, null, new RateLimitSnapshot.Window(60_000, 30_000, last.plusSeconds(30)), last));
        assertThat(pacer.reserve(0, 30_000)).as("the provider's 30,000 are all ours to use").isZero();
    }

    @Test
    void pacerIgnoresOlderHeaders() {
        ManualTime time = new ManualTime();
        Pacer pacer = new Pacer(time, time);
        Instant now = time.instant();
        pacer.observe(new RateLimitSnapshot(new RateLimitSnapshot.Window(100, 50, now.plusSeconds(5)), null, null, null, now));
        pacer.observe(new RateLimitSnapshot(new RateLimitSnapshot.Window(100, 0, now.plusSeconds(5)), null, null, null, now.minusSeconds(1)));
        assertThat(pacer.reserve(1, 1)).isZero();
    }

    @Test
    void runCountsRetriesAnd429sAndRethrowsTheLastFailureWithAttempts() {
        ManualTime time = new ManualTime();
        Resilience resilience = Fixtures.compressed(time, 3);
        AtomicInteger calls = new AtomicInteger();
        LlmException e = catchThrowableOfType(LlmException.class, () -> resilience.run(10, 10, () -> {
            calls.incrementAndGet();
            throw failure(LlmException.Kind.RATE_LIMITED, 429, Duration.ofSeconds(1));
        }));
        assertThat(calls).hasValue(3);
        assertThat(e.attempts()).isEqualTo(3);
        ClientStats.Snapshot stats = resilience.stats().snapshot();
        assertThat(stats.rateLimited()).isEqualTo(3);
        assertThat(stats.retries()).isEqualTo(2);
        assertThat(stats.failures()).isEqualTo(1);
        assertThat(time.totalSlept()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
}

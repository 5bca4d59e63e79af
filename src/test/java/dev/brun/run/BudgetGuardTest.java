package dev.brun.run;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BudgetGuardTest {
    @Test
    void callThatDoesNotFitWaitsForCallsInFlightToSettleInsteadOfStoppingTheRun() throws Exception {
        BudgetGuard guard = new BudgetGuard(1.00, 0.0);
        assertThat(guard.reserve(0.60, () -> false)).isTrue();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> guard.reserve(0.60, () -> false));
        Thread.sleep(150);
        assertThat(second).as("waits while the first call is in flight").isNotDone();

        guard.settle(0.60, 0.20);

        assertThat(second.get(2, TimeUnit.SECONDS)).as("the first call cost less than its worst case").isTrue();
        assertThat(guard.spent()).isCloseTo(0.20, within(1e-12));
        assertThat(guard.reserved()).isCloseTo(0.60, within(1e-12));
    }

    @Test
    void callThatCannotFitWithNothingInFlightIsRefusedAtOnce() {
        BudgetGuard guard = new BudgetGuard(1.00, 0.70);
        long start = System.nanoTime();
        assertThat(guard.reserve(0.40, () -> false)).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
        assertThat(guard.reserve(0.30, () -> false)).as("exactly reaching the cap is allowed").isTrue();
    }

    @Test
    void waitingCallGivesUpWhenTheRunStops() throws Exception {
        BudgetGuard guard = new BudgetGuard(1.00, 0.0);
        assertThat(guard.reserve(0.90, () -> false)).isTrue();
        AtomicBoolean stopping = new AtomicBoolean();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> guard.reserve(0.50, stopping::get));
        Thread.sleep(50);
        stopping.set(true);
        assertThat(waiting.get(2, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void spendPlusReservationsNeverPassTheCapUnderConcurrency() throws Exception {
        double cap = 5.0;
        BudgetGuard guard = new BudgetGuard(cap, 0.0);
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            long seed = t;
            threads.add(Thread.ofVirtual().start(() -> {
                Random random = new Random(seed);
                while (true) {
                    double worst = 0.05 + random.nextDouble() * 0.2;
                    if (!guard.reserve(worst, () -> false)) return;
                    if (guard.spent() + guard.reserved() > cap + 1e-9) violations.incrementAndGet();
                    calls.incrementAndGet();
                    Thread.yield();
                    guard.settle(worst, worst * random.nextDouble());
                }
            }));
        }
        for (Thread t : threads) assertThat(t.join(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(violations).hasValue(0);
        assertThat(calls.get()).isGreaterThan(40);
        assertThat(guard.spent()).isLessThanOrEqualTo(cap);
        assertThat(cap - guard.spent()).as("stopped only when the largest call could no longer fit").isLessThan(0.25);
        assertThat(guard.reserved()).isZero();
    }
}

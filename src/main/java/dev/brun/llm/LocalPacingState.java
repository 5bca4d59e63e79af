package dev.brun.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Pacing state of one process, in memory. Thread-safe. */
public final class LocalPacingState implements PacingState {
    private final List<Call> live = new ArrayList<>();
    private RateLimitSnapshot newest;
    private long observations;

    @Override
    public synchronized Duration reserveIf(Call call, Function<View, Duration> decide) {
        Duration wait = decide.apply(new View(newest, observations, List.copyOf(live), false));
        if (wait.isZero()) live.add(call);
        return wait;
    }

    @Override
    public synchronized void observe(RateLimitSnapshot observed) {
        if (observed != null && !observed.isEmpty() && (newest == null || !observed.observedAt().isBefore(newest.observedAt()))) {
            newest = observed;
            observations++;
        }
    }

    @Override
    public synchronized void end(long inputTokens, long outputTokens, RateLimitSnapshot observed) {
        observe(observed);
        // calls of one size are interchangeable here; the oldest one of this size has most likely ended
        for (int i = 0; i < live.size(); i++) {
            Call c = live.get(i);
            if (c.inputTokens() == inputTokens && c.outputTokens() == outputTokens) {
                live.remove(i);
                return;
            }
        }
    }
}

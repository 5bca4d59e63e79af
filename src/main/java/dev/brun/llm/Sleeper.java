package dev.brun.llm;

import java.time.Duration;

/** Waits; injected so that tests compress time instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = duration -> {
        if (duration.isNegative() || duration.isZero()) return;
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.NETWORK, 0, "interrupted while waiting to retry", "", null, null, 1, e);
        }
    };

    void sleep(Duration duration);
}

package dev.brun.llm;

import java.time.Duration;

/**
 * How long one HTTP call to a provider may take, in four parts: opening the connection, waiting for the reply to
 * start (a non-streamed reply starts only once the model has written all of it, so this is the longest wait),
 * a silence in the middle of the body, and the whole call. A call past any of them is abandoned and retried.
 *
 * @param cachePriming how long the run's first call, sent alone so that it writes the prompt cache, holds the
 *                     others back; after it they start (and may pay for writing the cache themselves)
 */
public record CallTimeouts(Duration connect, Duration firstByte, Duration idle, Duration call, Duration cachePriming) {
    /**
     * Fit for long conversations: an 8,000-token reply at 40 tokens/s takes 200 s before its first byte, so
     * first_byte is 300 s; a body that stops for a minute is a broken connection; ten minutes ends any call.
     */
    public static final CallTimeouts DEFAULTS = new CallTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(300),
            Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(30));

    public CallTimeouts {
        for (Duration d : new Duration[] {connect, firstByte, idle, call, cachePriming})
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive: " + d);
    }

    /** One limit for the whole call, the reply's start and any silence (connect 10 s): what a single timeout meant before. */
    public static CallTimeouts whole(Duration call) {
        return new CallTimeouts(Duration.ofSeconds(10), call, call, call, DEFAULTS.cachePriming());
    }
}

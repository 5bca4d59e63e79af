package dev.brun.llm;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How long the provider keeps a cached prompt prefix after its last use (Anthropic: {@code cache_control.ttl},
 * "5m" by default or "1h"). A one-hour entry costs more to write (2x the input price instead of 1.25x) and
 * the same to read (0.1x); it pays when calls sharing a prefix are far enough apart that a five-minute entry
 * would lapse between them.
 */
public enum CacheTtl {
    FIVE_MINUTES("5m", Duration.ofMinutes(5)),
    ONE_HOUR("1h", Duration.ofHours(1));

    private final String wire;
    private final Duration lifetime;

    CacheTtl(String wire, Duration lifetime) {
        this.wire = wire;
        this.lifetime = lifetime;
    }

    /** As the API and brun.yaml spell it: "5m" or "1h". */
    public String wire() { return wire; }

    public Duration lifetime() { return lifetime; }

    public static Optional<CacheTtl> fromWire(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (CacheTtl ttl : values()) if (ttl.wire.equals(t)) return Optional.of(ttl);
        return Optional.empty();
    }
}

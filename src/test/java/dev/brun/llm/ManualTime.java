package dev.brun.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that only moves when something sleeps on it, so that tests wait no real time. */
public final class ManualTime extends Clock implements Sleeper {
    private volatile Instant now;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    public ManualTime(Instant start) { this.now = start; }

    public ManualTime() { this(Instant.parse("2026-11-25T10:00:00Z")); }

    @Override public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        if (!duration.isNegative()) now = now.plus(duration);
    }

    public synchronized void advance(Duration d) { now = now.plus(d); }

    public List<Duration> sleeps() { return List.copyOf(sleeps); }

    public Duration totalSlept() { return sleeps.stream().reduce(Duration.ZERO, Duration::plus); }

    @Override public Instant instant() { return now; }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }
}

package dev.brun.project;

/**
 * How many generation calls run at once: "auto" paces from the provider's rate-limit headers, a number
 * fixes it. fixed is null for auto.
 */
public record Concurrency(Integer fixed) {
    public static final Concurrency AUTO = new Concurrency(null);

    public Concurrency {
        if (fixed != null && fixed < 1) throw new IllegalArgumentException("concurrency must be at least 1, got " + fixed);
    }

    public static Concurrency of(int calls) { return new Concurrency(calls); }

    public boolean isAuto() { return fixed == null; }

    /** As written in brun.yaml: "auto" or the number. */
    public String wire() { return isAuto() ? "auto" : fixed.toString(); }
}

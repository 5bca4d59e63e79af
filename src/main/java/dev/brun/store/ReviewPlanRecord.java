package dev.brun.store;

import java.time.Instant;

/** A stored review plan: how it stratifies, its acceptance-sampling parameters and seed, open or closed. */
public record ReviewPlanRecord(long id, Instant createdAt, String strataBy, double defectRate, double confidence,
                               int acceptDefects, long seed, double overlap, String state) {
    public boolean open() { return "open".equals(state); }
}

package dev.brun.store;

/**
 * A stored stratum of a review plan: its key, size, sample size, and the verdict, counts and upper bound
 * recorded the last time it was evaluated (null bound before then).
 */
public record StratumRecord(long id, long planId, String key, String label, int conversations, int sampleSize,
                            String verdict, int reviewed, int defects, Double upperBound) {}

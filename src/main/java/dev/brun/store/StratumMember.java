package dev.brun.store;

/**
 * One conversation of a stratum: its place in the stratum's random reading order (the sample comes first),
 * whether it is in the sample, and how many people the plan asks to read it (2 for the overlap share).
 */
public record StratumMember(String conversationId, int position, boolean sampled, int reviewers) {}

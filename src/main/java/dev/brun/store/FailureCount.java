package dev.brun.store;

/** How many units failed for one reason. */
public record FailureCount(String reason, long count) {}

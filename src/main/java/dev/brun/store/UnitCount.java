package dev.brun.store;

/** How many units of a phase are in a state. */
public record UnitCount(String phase, UnitState state, long count) {}

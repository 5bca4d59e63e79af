package dev.brun.store;

/** A unit as planning adds it: its deterministic key and where it sits in the coverage matrix. */
public record PlannedUnit(String key, String packHash, String phase, String personaKey, String arcKey,
                          String topicKey, int variationIndex) {}

package dev.brun.plan;

import dev.brun.pack.Phase;

/** One unit of work: one conversation to generate, identified by a deterministic key. */
public record PlannedUnit(String key, String packHash, Phase phase, String personaKey, String arcKey, String topicKey,
                          int variationIndex) {
    public String combination() { return personaKey + "|" + arcKey + "|" + topicKey; }
}

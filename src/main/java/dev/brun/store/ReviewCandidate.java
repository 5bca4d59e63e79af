package dev.brun.store;

/** A conversation a review plan may take: how it was made, its combination and its length in words. */
public record ReviewCandidate(String id, String phase, String model, String personaKey, String arcKey, String topicKey,
                              long words) {
    public String combination() { return personaKey + " x " + arcKey + " x " + topicKey; }
}

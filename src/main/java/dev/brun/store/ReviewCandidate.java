package dev.brun.store;

/**
 * A conversation a review plan may take: how it was made, its combination, its length in words and its seed group
 * (the seeds its prompt carried joined by "+", null when it carried none).
 */
public record ReviewCandidate(String id, String phase, String model, String personaKey, String arcKey, String topicKey,
                              long words, String seedGroup) {

    public String combination() { return personaKey + " x " + arcKey + " x " + topicKey; }
}

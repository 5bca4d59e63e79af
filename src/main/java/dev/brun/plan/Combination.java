package dev.brun.plan;

/** A persona x arc x topic cell of the coverage matrix. */
public record Combination(String personaKey, String arcKey, String topicKey) {
    public String key() { return personaKey + "|" + arcKey + "|" + topicKey; }
}

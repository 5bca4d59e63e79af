package dev.brun.conversation;

/** Where a conversation sits in the coverage matrix: persona x arc x topic, which variation, which phase. */
public record Scaffolding(String personaKey, String arcKey, String topicKey, int variationIndex, String phase) {
    /** persona|arc|topic: the combination all variations share (used for splits and diversity). */
    public String combination() { return personaKey + "|" + arcKey + "|" + topicKey; }
}

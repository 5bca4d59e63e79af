package dev.brun.conversation;

/** The user's emotional state on one turn; intensity and confidence are in [0, 1]. */
public record Emotion(String primary, String secondary, double intensity, double confidence, Valence valence) {}

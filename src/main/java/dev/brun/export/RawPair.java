package dev.brun.export;

import java.util.List;

/**
 * One training pair as read from a file, before conversations are rebuilt: exactly the fields brun uses,
 * type-checked, with the JSON path (or line) it came from for messages.
 */
record RawPair(String where, String id, String conversationId, int turnNumber, String personaKey,
               String clientPersona, String clientBackground, String arcKey, String topicKey, String sessionContext,
               String phase, String expectedOutcome, List<HistoryTurn> history, String input, RawEmotion emotion,
               String target, String learningObjective, List<String> skills, Double qualityScore, double[] criteria,
               String qualityMethod, boolean humanReviewed, String reviewerNotes, boolean seedExample,
               Integer variationIndex, String generationPhase, String provider, String model, String systemPrompt,
               String arcName, String topicName, RawEmotion targetEmotion) {

    record HistoryTurn(String role, String content, RawEmotion emotion) {}

    record RawEmotion(String primary, String secondary, double intensity, double confidence, String valence) {}

    boolean hasTarget() { return target != null && !target.isBlank(); }
}

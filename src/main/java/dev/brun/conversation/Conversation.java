package dev.brun.conversation;

import java.util.List;

/**
 * One multi-turn conversation as generated or imported. Turns alternate user/assistant, start with
 * the user and end with the assistant. Quality, review and generation facts live beside it
 * ({@link QualityFlag}, {@link Scores}, {@link Review}, {@link Generation}), keyed by id.
 */
public record Conversation(String id, String unitKey, Scaffolding scaffolding, String sessionContext,
                           String expectedOutcome, List<Turn> turns, Source source, String provider, String model) {
    public Conversation {
        turns = List.copyOf(turns);
    }

    public List<Turn> assistantTurns() { return turns.stream().filter(Turn::isAssistant).toList(); }
    public List<Turn> userTurns() { return turns.stream().filter(Turn::isUser).toList(); }
    public boolean simulated() { return "simulated".equals(provider); }
    public Conversation withTurns(List<Turn> newTurns) {
        return new Conversation(id, unitKey, scaffolding, sessionContext, expectedOutcome, newTurns, source, provider, model);
    }
}

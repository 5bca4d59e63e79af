package dev.brun.conversation;

import java.util.List;

/**
 * One message of a conversation. User turns carry an emotion; assistant turns carry the arc stage
 * (phase), what the reply teaches and the consultant skills it shows. Index is 0-based in the conversation.
 */
public record Turn(int index, Role role, String content, Emotion emotion,
                   String phase, String learningObjective, List<String> skills) {
    public Turn {
        skills = skills == null ? List.of() : List.copyOf(skills);
    }

    public static Turn user(int index, String content, Emotion emotion) {
        return new Turn(index, Role.USER, content, emotion, null, null, List.of());
    }

    public static Turn assistant(int index, String content, String phase, String learningObjective, List<String> skills) {
        return new Turn(index, Role.ASSISTANT, content, null, phase, learningObjective, skills);
    }

    public boolean isUser() { return role == Role.USER; }
    public boolean isAssistant() { return role == Role.ASSISTANT; }
    public Turn withContent(String newContent) { return new Turn(index, role, newContent, emotion, phase, learningObjective, skills); }
}

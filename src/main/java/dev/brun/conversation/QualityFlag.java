package dev.brun.conversation;

/**
 * A finding about a conversation: a stable code (e.g. {@code truncated}, {@code persona_mismatch},
 * {@code near_duplicate}), a severity, a reason a person can read, the turn it concerns (null = whole
 * conversation) and, for duplicates, the id of the conversation it duplicates.
 */
public record QualityFlag(String code, Severity severity, String reason, Integer turnIndex, String relatedConversationId) {
    public static QualityFlag of(String code, Severity severity, String reason, Integer turnIndex) {
        return new QualityFlag(code, severity, reason, turnIndex, null);
    }
}

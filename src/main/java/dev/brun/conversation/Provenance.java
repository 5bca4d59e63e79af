package dev.brun.conversation;

import java.time.LocalDate;

/**
 * What an imported file recorded about a conversation beyond its turns: the system prompt its pairs carried, the
 * date it was generated, and the names it gave its arc and topic. All null for conversations brun generated (the
 * pack's prompt, the stored date, the pack's names).
 */
public record Provenance(String systemPrompt, LocalDate recordedDate, String arcName, String topicName) {
    public static final Provenance NONE = new Provenance(null, null, null, null);

    public Provenance {
        systemPrompt = blankToNull(systemPrompt);
        arcName = blankToNull(arcName);
        topicName = blankToNull(topicName);
    }

    public Provenance(String systemPrompt, LocalDate recordedDate) { this(systemPrompt, recordedDate, null, null); }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.strip(); }
}

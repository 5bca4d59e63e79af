package dev.brun.conversation;

import java.time.LocalDate;

/**
 * What an imported file recorded about a conversation beyond its turns: the system prompt its pairs carried and
 * the date it was generated. Both null for conversations brun generated (the pack's prompt, the stored date).
 */
public record Provenance(String systemPrompt, LocalDate recordedDate) {
    public static final Provenance NONE = new Provenance(null, null);

    public Provenance {
        if (systemPrompt != null && systemPrompt.isBlank()) systemPrompt = null;
    }
}

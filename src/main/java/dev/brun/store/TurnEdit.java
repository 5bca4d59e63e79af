package dev.brun.store;

import java.time.Instant;

/** One version of a reviewer's edit to a turn; version 1's oldContent is the generated original. */
public record TurnEdit(String conversationId, int turnIndex, int version, String oldContent, String newContent,
                       String editor, Instant at) {}

package dev.brun.store;

import java.util.Objects;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Generation;

/**
 * Everything one successful generation stores at once; batch says whether it came through a batch;
 * cacheWrite1hTokens is the one-hour part of the generation's cache writes (for the ledger line).
 */
public record ConversationRecordBundle(Conversation conversation, Generation generation, boolean batch, long cacheWrite1hTokens) {
    public ConversationRecordBundle(Conversation conversation, Generation generation, boolean batch) {
        this(conversation, generation, batch, 0);
    }

    public ConversationRecordBundle {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(conversation.unitKey(), "a generated conversation needs its unit key");
        if (cacheWrite1hTokens < 0 || cacheWrite1hTokens > generation.cacheWriteTokens())
            throw new IllegalArgumentException("one-hour cache writes (" + cacheWrite1hTokens + ") must be within the generation's cache writes ("
                    + generation.cacheWriteTokens() + ")");
    }
}

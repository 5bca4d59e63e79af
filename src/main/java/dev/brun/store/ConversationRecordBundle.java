package dev.brun.store;

import java.util.Objects;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Generation;

/** Everything one successful generation stores at once; batch says whether it came through a batch. */
public record ConversationRecordBundle(Conversation conversation, Generation generation, boolean batch) {
    public ConversationRecordBundle {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(conversation.unitKey(), "a generated conversation needs its unit key");
    }
}

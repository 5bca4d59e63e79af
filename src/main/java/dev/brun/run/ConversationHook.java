package dev.brun.run;

import dev.brun.conversation.Conversation;

/** Runs on each newly stored conversation (the quality checks); failures here never lose the conversation. */
@FunctionalInterface
public interface ConversationHook {
    ConversationHook NONE = c -> { };

    void stored(Conversation conversation);
}

package dev.brun.run;

import dev.brun.conversation.Conversation;

import java.util.List;

/** What the engine made of one provider reply: a conversation it may store, or a reason it may not. */
public sealed interface ReplyVerdict {
    /** repairs says, one entry each, what the parser changed to make the reply fit the unit's contract (empty: nothing). */
    record Valid(Conversation conversation, List<String> repairs) implements ReplyVerdict {
        public Valid {
            repairs = List.copyOf(repairs);
        }

        public Valid(Conversation conversation) { this(conversation, List.of()); }

        public boolean repaired() { return !repairs.isEmpty(); }
    }

    /** reason is a stable code (schema, no_exchange, ...); detail says where. */
    record Invalid(String reason, String detail) implements ReplyVerdict {}
}

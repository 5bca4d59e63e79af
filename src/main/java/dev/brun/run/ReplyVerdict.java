package dev.brun.run;

import dev.brun.conversation.Conversation;

/** What the engine made of one provider reply: a conversation it may store, or a reason it may not. */
public sealed interface ReplyVerdict {
    record Valid(Conversation conversation) implements ReplyVerdict {}

    /** reason is a stable code (schema, alternation, turn_count, empty_turn, bad_phase, ...); detail says where. */
    record Invalid(String reason, String detail) implements ReplyVerdict {}
}

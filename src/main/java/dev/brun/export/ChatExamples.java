package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Turn;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Whole conversations as chat examples: OpenAI/Hugging Face messages and ShareGPT. */
final class ChatExamples {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChatExamples() {}

    static ObjectNode messages(String systemPrompt, Conversation c) {
        ObjectNode line = NODES.objectNode();
        ArrayNode messages = line.putArray("messages");
        messages.addObject().put("role", "system").put("content", systemPrompt);
        for (Turn t : c.turns()) messages.addObject().put("role", t.role().wire()).put("content", t.content());
        return line;
    }

    static ObjectNode shareGpt(String systemPrompt, Conversation c) {
        ObjectNode line = NODES.objectNode();
        ArrayNode turns = line.putArray("conversations");
        turns.addObject().put("from", "system").put("value", systemPrompt);
        for (Turn t : c.turns()) turns.addObject().put("from", t.isUser() ? "human" : "gpt").put("value", t.content());
        return line;
    }

    /** The usual rough estimate for English text: four characters per token. */
    static long estimateTokens(String systemPrompt, Conversation c) {
        long chars = systemPrompt.length();
        for (Turn t : c.turns()) chars += t.content() == null ? 0 : t.content().length();
        return (chars + 3) / 4;
    }
}

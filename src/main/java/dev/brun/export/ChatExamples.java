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

    static ObjectNode messages(String systemPrompt, Conversation c) { return messages(systemPrompt, c, SystemMessage.KEEP); }

    static ObjectNode messages(String systemPrompt, Conversation c, SystemMessage system) {
        ObjectNode line = NODES.objectNode();
        ArrayNode messages = line.putArray("messages");
        if (system == SystemMessage.KEEP) messages.addObject().put("role", "system").put("content", systemPrompt);
        for (Turn t : c.turns()) messages.addObject().put("role", t.role().wire()).put("content", content(systemPrompt, t, system));
        return line;
    }

    static ObjectNode shareGpt(String systemPrompt, Conversation c) { return shareGpt(systemPrompt, c, SystemMessage.KEEP); }

    static ObjectNode shareGpt(String systemPrompt, Conversation c, SystemMessage system) {
        ObjectNode line = NODES.objectNode();
        ArrayNode turns = line.putArray("conversations");
        if (system == SystemMessage.KEEP) turns.addObject().put("from", "system").put("value", systemPrompt);
        for (Turn t : c.turns())
            turns.addObject().put("from", t.isUser() ? "human" : "gpt").put("value", content(systemPrompt, t, system));
        return line;
    }

    /** fold: the prompt opens the first user message, separated by a blank line, as templates without a system role expect. */
    private static String content(String systemPrompt, Turn t, SystemMessage system) {
        if (system == SystemMessage.FOLD && t.index() == 0 && t.isUser()) return systemPrompt.strip() + "\n\n" + t.content();
        return t.content();
    }

    /** The usual rough estimate for English text: four characters per token. */
    static long estimateTokens(String systemPrompt, Conversation c) {
        long chars = systemPrompt.length();
        for (Turn t : c.turns()) chars += t.content() == null ? 0 : t.content().length();
        return (chars + 3) / 4;
    }
}

package dev.brun.export;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The checks OpenAI's fine-tuning upload applies to one chat example, so a file fails here rather than after
 * upload: only a messages key, known roles, non-empty string content, no unknown keys in a message, at least one
 * assistant message, the example ends with the assistant, and the estimated token count is within the limit.
 */
public final class OpenAiChatCheck {
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    private static final Set<String> MESSAGE_KEYS = Set.of("role", "content");

    private OpenAiChatCheck() {}

    /** Problems with one JSONL line's object; empty when it passes. */
    public static List<String> problems(JsonNode example, int maxTokens) {
        List<String> problems = new ArrayList<>();
        if (example == null || !example.isObject()) return List.of("example is not a JSON object");
        for (String key : example.propertyNames())
            if (!key.equals("messages")) problems.add("unknown key '" + key + "'");
        JsonNode messages = example.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            problems.add("messages missing or empty");
            return problems;
        }
        long chars = 0;
        boolean sawAssistant = false;
        String previous = null;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "]";
            if (!m.isObject()) { problems.add(at + " is not an object"); continue; }
            for (String key : m.propertyNames())
                if (!MESSAGE_KEYS.contains(key)) problems.add(at + " has unknown key '" + key + "'");
            String role = m.path("role").isString() ? m.get("role").asString() : null;
            if (role == null || !ROLES.contains(role)) problems.add(at + " has role " + m.get("role") + " (expected system, user or assistant)");
            else if (role.equals("system") && i != 0) problems.add(at + " is a system message after the start");
            JsonNode content = m.get("content");
            if (content == null || !content.isString() || content.asString().isBlank()) problems.add(at + " has empty or non-string content");
            else chars += content.asString().length();
            if ("assistant".equals(role)) sawAssistant = true;
            if (role != null && role.equals(previous) && !role.equals("system")) problems.add(at + " repeats role " + role);
            previous = role;
        }
        if (!sawAssistant) problems.add("no assistant message");
        if (!"assistant".equals(previous)) problems.add("last message is not from the assistant");
        long tokens = (chars + 3) / 4;
        if (tokens > maxTokens) problems.add("about " + tokens + " tokens, over the limit of " + maxTokens);
        return problems;
    }
}

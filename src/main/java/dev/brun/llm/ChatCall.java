package dev.brun.llm;

import java.util.List;
import java.util.Objects;

/**
 * A plain multi-turn chat call: a system prompt and the messages so far, answered with text. This is how a
 * fine-tuned model is spoken to (it was trained on such conversations), unlike {@link GenerationRequest},
 * which asks a teacher for one structured conversation.
 *
 * @param tag names the call in logs and error messages; never sent as content
 */
public record ChatCall(String model, String system, List<Message> messages, double temperature, int maxTokens, String tag) {
    /** One message: role {@code user} or {@code assistant}. */
    public record Message(String role, String content) {
        public Message {
            Objects.requireNonNull(role, "role");
            content = content == null ? "" : content;
        }
    }

    public ChatCall {
        Objects.requireNonNull(model, "model");
        system = system == null ? "" : system;
        messages = List.copyOf(messages);
        if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        if (temperature < 0 || temperature > 2) throw new IllegalArgumentException("temperature must be in [0, 2], was " + temperature);
        tag = tag == null ? "" : tag;
    }

    /** Rough size of the prompt in tokens (characters / 4), for pacing before the call. */
    public int estimatedInputTokens() {
        long chars = system.length();
        for (Message m : messages) chars += m.content().length();
        return (int) Math.min(Integer.MAX_VALUE, chars / 4 + 1);
    }
}

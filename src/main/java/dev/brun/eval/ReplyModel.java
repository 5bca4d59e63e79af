package dev.brun.eval;

import dev.brun.llm.ChatCall;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.openai.OpenAiClient;

import java.util.List;

/** A model under evaluation: given the system prompt and the conversation so far, its next consultant reply. */
@FunctionalInterface
public interface ReplyModel {
    /** The reply text and why it stopped ({@code end_turn}, {@code max_tokens}, ...). */
    record Reply(String text, String stopReason) {}

    Reply reply(String system, List<ChatCall.Message> history, String tag);

    /** A model served by an OpenAI-compatible server (vLLM with a LoRA, Ollama, llama.cpp server, TGI ...). */
    static ReplyModel chat(OpenAiClient client, String model, double temperature, int maxTokens) {
        return (system, history, tag) -> {
            GenerationResult r = client.chat(new ChatCall(model, system, history, temperature, maxTokens, tag));
            return new Reply(r.text(), r.stopReason().name().toLowerCase(java.util.Locale.ROOT));
        };
    }
}

package dev.brun.llm.openai;

import dev.brun.llm.GenerationRequest;
import dev.brun.llm.SystemBlock;
import dev.brun.llm.openai.OpenAiWire.ChatMessage;
import dev.brun.llm.openai.OpenAiWire.ChatRequest;
import dev.brun.llm.openai.OpenAiWire.JsonSchemaFormat;
import dev.brun.llm.openai.OpenAiWire.ResponseFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * GenerationRequest → chat completion. The system blocks become one system message (several system
 * messages break some local chat templates; OpenAI caches the common prefix on its own). The tool becomes
 * a json_schema response format, or, for servers without it, an instruction in the system message.
 */
public final class OpenAiRequestMapper {

    /**
     * @param structuredOutput   send the tool as response_format json_schema (else as an instruction)
     * @param maxCompletionTokens name the limit max_completion_tokens instead of max_tokens
     */
    public ChatRequest toWire(GenerationRequest request, boolean structuredOutput, boolean maxCompletionTokens) {
        List<ChatMessage> messages = new ArrayList<>();
        String system = request.system().stream().map(SystemBlock::text).collect(Collectors.joining("\n\n"));
        if (request.tool() != null && !structuredOutput) {
            system = (system.isEmpty() ? "" : system + "\n\n") + jsonInstruction(request);
        }
        if (!system.isEmpty()) messages.add(new ChatMessage("system", system));
        messages.add(new ChatMessage("user", request.userMessage()));
        ResponseFormat format = null;
        if (request.tool() != null && structuredOutput) {
            format = new ResponseFormat("json_schema", new JsonSchemaFormat(request.tool().name(),
                    request.tool().description().isEmpty() ? null : request.tool().description(), request.tool().inputSchema(), false));
        }
        return new ChatRequest(request.model(), messages, request.temperature(),
                maxCompletionTokens ? null : request.maxTokens(), maxCompletionTokens ? request.maxTokens() : null, format);
    }

    /** A multi-turn chat call: the system prompt, then the messages as they are. */
    public ChatRequest toWire(dev.brun.llm.ChatCall call, boolean maxCompletionTokens) {
        List<ChatMessage> messages = new ArrayList<>();
        if (!call.system().isEmpty()) messages.add(new ChatMessage("system", call.system()));
        for (dev.brun.llm.ChatCall.Message m : call.messages()) messages.add(new ChatMessage(m.role(), m.content()));
        return new ChatRequest(call.model(), messages, call.temperature(),
                maxCompletionTokens ? null : call.maxTokens(), maxCompletionTokens ? call.maxTokens() : null, null);
    }

    private static String jsonInstruction(GenerationRequest request) {
        return "Answer with exactly one JSON object and nothing else (no prose, no code fences). "
                + (request.tool().description().isEmpty() ? "" : request.tool().description() + " ")
                + "The object must follow this JSON schema:\n" + request.tool().inputSchema();
    }
}

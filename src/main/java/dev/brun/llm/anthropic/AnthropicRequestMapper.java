package dev.brun.llm.anthropic;

import dev.brun.llm.CacheTtl;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.SystemBlock;
import dev.brun.llm.anthropic.AnthropicWire.CacheControl;
import dev.brun.llm.anthropic.AnthropicWire.Message;
import dev.brun.llm.anthropic.AnthropicWire.MessagesRequest;
import dev.brun.llm.anthropic.AnthropicWire.SystemText;
import dev.brun.llm.anthropic.AnthropicWire.Tool;
import dev.brun.llm.anthropic.AnthropicWire.ToolChoice;

import java.util.List;

/** GenerationRequest → Messages request: cached system blocks, forced tool, temperature only. */
public final class AnthropicRequestMapper {
    /** Anthropic accepts at most four cache breakpoints per request. */
    static final int MAX_CACHE_BREAKPOINTS = 4;

    public MessagesRequest toWire(GenerationRequest request) {
        long breakpoints = request.system().stream().filter(SystemBlock::cacheable).count();
        if (breakpoints > MAX_CACHE_BREAKPOINTS) {
            throw new IllegalArgumentException("at most " + MAX_CACHE_BREAKPOINTS + " cacheable system blocks, got " + breakpoints
                    + " for " + request.requestTag());
        }
        // The API wants longer-lived breakpoints before shorter ones: a 1h block after a 5m block is rejected.
        CacheTtl previous = CacheTtl.ONE_HOUR;
        for (SystemBlock b : request.system()) {
            if (!b.cacheable()) continue;
            if (b.ttl() == CacheTtl.ONE_HOUR && previous == CacheTtl.FIVE_MINUTES) {
                throw new IllegalArgumentException("a one-hour cache breakpoint cannot follow a five-minute one (" + request.requestTag() + ")");
            }
            previous = b.ttl();
        }
        List<SystemText> system = request.system().stream()
                .map(b -> new SystemText("text", b.text(), b.cacheable() ? CacheControl.of(b.ttl()) : null))
                .toList();
        List<Tool> tools = null;
        ToolChoice choice = null;
        if (request.tool() != null) {
            tools = List.of(new Tool(request.tool().name(), request.tool().description(), request.tool().inputSchema()));
            choice = new ToolChoice("tool", request.tool().name());
        }
        return new MessagesRequest(request.model(), request.maxTokens(), system.isEmpty() ? null : system,
                List.of(new Message("user", request.userMessage())), request.temperature(), tools, choice);
    }
}

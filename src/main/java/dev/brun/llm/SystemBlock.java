package dev.brun.llm;

import java.util.Objects;

/**
 * One block of the system prompt. A cacheable block ends a prompt prefix the provider may cache
 * (Anthropic: {@code cache_control: {type: ephemeral}}); everything before it is part of that prefix.
 */
public record SystemBlock(String text, boolean cacheable) {
    public SystemBlock {
        Objects.requireNonNull(text, "text");
    }

    public static SystemBlock cached(String text) { return new SystemBlock(text, true); }

    public static SystemBlock plain(String text) { return new SystemBlock(text, false); }
}

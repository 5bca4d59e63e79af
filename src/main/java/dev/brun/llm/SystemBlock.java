package dev.brun.llm;

import java.util.Objects;

/**
 * One block of the system prompt. A cacheable block ends a prompt prefix the provider may cache
 * (Anthropic: {@code cache_control: {type: ephemeral}}, with {@code ttl: "1h"} when the block asks for the
 * one-hour lifetime); everything before it is part of that prefix. ttl is null for a plain block.
 */
public record SystemBlock(String text, boolean cacheable, CacheTtl ttl) {
    public SystemBlock {
        Objects.requireNonNull(text, "text");
        if (cacheable && ttl == null) ttl = CacheTtl.FIVE_MINUTES;
        if (!cacheable) ttl = null;
    }

    public SystemBlock(String text, boolean cacheable) { this(text, cacheable, null); }

    /** A cache breakpoint with the provider's default five-minute lifetime. */
    public static SystemBlock cached(String text) { return new SystemBlock(text, true, CacheTtl.FIVE_MINUTES); }

    public static SystemBlock cached(String text, CacheTtl ttl) { return new SystemBlock(text, true, Objects.requireNonNull(ttl, "ttl")); }

    public static SystemBlock plain(String text) { return new SystemBlock(text, false, null); }
}

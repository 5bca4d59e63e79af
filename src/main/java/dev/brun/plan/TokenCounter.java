package dev.brun.plan;

/**
 * Estimates tokens from characters (about four characters per token for English prose and JSON) until a
 * real tokenizer is wired. Used only for estimates and budget reservations, never for billing: billing uses
 * the provider's reported usage.
 */
public final class TokenCounter {
    public static final double CHARS_PER_TOKEN = 4.0;

    private TokenCounter() {}

    public static long tokens(long chars) { return (long) Math.ceil(chars / CHARS_PER_TOKEN); }
}

package dev.brun.quality;

/**
 * The seam to a language model used as a judge: send a system and a user prompt, demand a reply matching
 * the JSON schema, return the reply's text. The llm package implements it with its clients, retries,
 * ledger and budget; {@link JudgeScorer} turns the reply into scores through {@link JudgePrompt}.
 */
@FunctionalInterface
public interface LlmJudge {
    String complete(String system, String user, String replyJsonSchema);
}

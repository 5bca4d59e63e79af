/**
 * Provider access: the provider-neutral {@link dev.brun.llm.LlmClient} the engine calls, the request and
 * result records, typed failures ({@link dev.brun.llm.LlmException}), and the one place where calls are
 * retried, paced from rate-limit headers and limited in concurrency ({@link dev.brun.llm.Resilience}).
 * Protocols live in {@code anthropic} and {@code openai}; the simulated provider and the scriptable fake
 * server used by tests live in {@code sim}. Nothing here knows about packs, plans or the store.
 */
package dev.brun.llm;

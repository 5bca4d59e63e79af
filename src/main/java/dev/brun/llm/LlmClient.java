package dev.brun.llm;

/**
 * One provider behind one call: a request in, one structured result out. Implementations own the wire
 * format, retries and pacing, so the engine never sees JSON or HTTP. Thread-safe: the engine calls
 * {@link #generate} from many virtual threads at once.
 */
public interface LlmClient {

    /**
     * Sends one request, retrying transient faults per the client's {@link RetryPolicy}.
     *
     * @throws LlmException when the call failed for good; its {@link LlmException.Kind} says why
     */
    GenerationResult generate(GenerationRequest request);

    /** Counters of this client's calls, retries and 429s (for the progress bar). */
    ClientStats stats();

    /** The short provider name recorded with each generation, e.g. {@code anthropic}. */
    String provider();

    /**
     * From now on, calls that are not on the wire yet (waiting for a slot, for the rate limit, or to retry)
     * end with {@link LlmException.Kind#STOPPED} instead of being sent; calls already sent finish, since
     * they may be billed.
     */
    void stopSending();
}

package dev.brun.llm.openai;

import dev.brun.llm.ChatCall;
import dev.brun.llm.ClientStats;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmClient;
import dev.brun.llm.ProviderHttp;
import dev.brun.llm.RateLimitSnapshot;
import dev.brun.llm.Resilience;
import dev.brun.llm.WireJson;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * OpenAI-compatible chat completions (OpenAI, vLLM, Ollama, llama.cpp server, OpenRouter …). Structured
 * output goes through {@code response_format: json_schema}; a server that rejects it is asked again, and
 * from then on always, with the schema in the system message, and the JSON is taken from the text.
 */
public final class OpenAiClient implements LlmClient {
    private final URI completionsUri;
    private final String apiKey;
    private final ProviderHttp http;
    private final Resilience resilience;
    private final AtomicBoolean structuredOutput = new AtomicBoolean(true);
    private final AtomicBoolean maxCompletionTokens = new AtomicBoolean(false);
    private final OpenAiRequestMapper requestMapper = new OpenAiRequestMapper();
    private final OpenAiResponseMapper responseMapper = new OpenAiResponseMapper();
    private final OpenAiErrorMapper errorMapper = new OpenAiErrorMapper();
    private final OpenAiRateLimitHeaders rateLimitHeaders = new OpenAiRateLimitHeaders();

    /**
     * @param baseUrl e.g. https://api.openai.com/v1 or http://localhost:11434/v1 (OPENAI_BASE_URL); a base
     *                without {@code /v1} gets it added
     * @param apiKey  optional (local servers need none); never logged
     */
    public OpenAiClient(URI baseUrl, String apiKey, Duration requestTimeout, Resilience resilience) {
        String path = baseUrl.getPath() == null ? "" : baseUrl.getPath().replaceAll("/+$", "");
        this.completionsUri = ProviderHttp.resolve(baseUrl, path.endsWith("/v1") ? "/chat/completions" : "/v1/chat/completions");
        this.apiKey = apiKey == null ? "" : apiKey;
        this.http = new ProviderHttp(baseUrl, Duration.ofSeconds(10), requestTimeout, resilience.clock());
        this.resilience = resilience;
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
        Resilience.Completed<GenerationResult> done = resilience.run(request.requestTag(), request.estimatedInputTokens(), request.maxTokens(), () -> {
            ProviderHttp.Reply reply = post(request);
            // A server tells us once what it does not support; adapt and ask again (not a retry: nothing ran).
            for (int adaptations = 0; adaptations < 2 && !reply.ok(); adaptations++) {
                if (!maxCompletionTokens.get() && errorMapper.wantsMaxCompletionTokens(reply)) {
                    maxCompletionTokens.set(true);
                } else if (request.tool() != null && structuredOutput.get() && errorMapper.rejectsResponseFormat(reply)) {
                    structuredOutput.set(false);
                } else {
                    break;
                }
                reply = post(request);
            }
            RateLimitSnapshot limits = rateLimitHeaders.parse(reply.headers(), reply.receivedAt());
            if (!reply.ok()) throw errorMapper.toException(reply, apiKey, limits, request.requestTag());
            var response = responseMapper.parse(reply.body(), reply.status(), request.requestTag());
            String requestId = reply.header("x-request-id").orElse("");
            return new Resilience.Outcome<>(responseMapper.toResult(response, request.tool() != null, requestId,
                    reply.latencyMillis(), limits), limits);
        });
        GenerationResult r = done.value();
        return new GenerationResult(r.toolInput(), r.text(), r.stopReason(), r.usage(), r.requestId(), r.latencyMillis(),
                done.attempts(), r.rateLimit());
    }

    /**
     * A plain chat call (a fine-tuned model replaying a conversation), with the same retries, timeouts and
     * pacing as {@link #generate}; the reply is the message text.
     */
    public GenerationResult chat(ChatCall call) {
        Resilience.Completed<GenerationResult> done = resilience.run(call.tag(), call.estimatedInputTokens(), call.maxTokens(), () -> {
            ProviderHttp.Reply reply = postChat(call);
            if (!reply.ok() && !maxCompletionTokens.get() && errorMapper.wantsMaxCompletionTokens(reply)) {
                maxCompletionTokens.set(true);
                reply = postChat(call);
            }
            RateLimitSnapshot limits = rateLimitHeaders.parse(reply.headers(), reply.receivedAt());
            if (!reply.ok()) throw errorMapper.toException(reply, apiKey, limits, call.tag());
            var response = responseMapper.parse(reply.body(), reply.status(), call.tag());
            return new Resilience.Outcome<>(responseMapper.toResult(response, false, reply.header("x-request-id").orElse(""),
                    reply.latencyMillis(), limits), limits);
        });
        GenerationResult r = done.value();
        return new GenerationResult(null, r.text(), r.stopReason(), r.usage(), r.requestId(), r.latencyMillis(), done.attempts(), r.rateLimit());
    }

    private ProviderHttp.Reply postChat(ChatCall call) {
        String body = WireJson.MAPPER.writeValueAsString(requestMapper.toWire(call, maxCompletionTokens.get()));
        Map<String, String> headers = new LinkedHashMap<>();
        if (!apiKey.isEmpty()) headers.put("authorization", "Bearer " + apiKey);
        return http.post(completionsUri, headers, body);
    }

    private ProviderHttp.Reply post(GenerationRequest request) {
        boolean structured = request.tool() != null && structuredOutput.get();
        String body = WireJson.MAPPER.writeValueAsString(requestMapper.toWire(request, structured, maxCompletionTokens.get()));
        Map<String, String> headers = new LinkedHashMap<>();
        if (!apiKey.isEmpty()) headers.put("authorization", "Bearer " + apiKey);
        return http.post(completionsUri, headers, body);
    }

    /** False once the server has rejected {@code response_format}. */
    public boolean usesStructuredOutput() { return structuredOutput.get(); }

    @Override
    public ClientStats stats() { return resilience.stats(); }

    @Override
    public void stopSending() { resilience.stopSending(); }

    @Override
    public String provider() { return "openai"; }
}

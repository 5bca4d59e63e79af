package dev.brun.llm.anthropic;

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

/**
 * Anthropic Messages API over java.net.http: {@code POST {base}/v1/messages}. Each attempt goes through
 * the client's {@link Resilience}, so retries, pacing and the concurrency limit apply to every call.
 */
public final class AnthropicClient implements LlmClient {
    public static final String API_VERSION = "2023-06-01";

    private final URI messagesUri;
    private final String apiKey;
    private final ProviderHttp http;
    private final Resilience resilience;
    private final String providerName;
    private final AnthropicRequestMapper requestMapper = new AnthropicRequestMapper();
    private final AnthropicResponseMapper responseMapper = new AnthropicResponseMapper();
    private final AnthropicErrorMapper errorMapper = new AnthropicErrorMapper();
    private final AnthropicRateLimitHeaders rateLimitHeaders = new AnthropicRateLimitHeaders();

    /**
     * @param baseUrl        e.g. https://api.anthropic.com (ANTHROPIC_BASE_URL) or the simulator's URL
     * @param apiKey         sent as x-api-key; never logged or put in a message
     * @param requestTimeout the longest a whole call (body included) may take
     */
    public AnthropicClient(URI baseUrl, String apiKey, Duration requestTimeout, Resilience resilience) {
        this(baseUrl, apiKey, requestTimeout, resilience, "anthropic");
    }

    /** @param providerName what {@link #provider()} reports, e.g. {@code simulated} for the built-in simulator */
    public AnthropicClient(URI baseUrl, String apiKey, Duration requestTimeout, Resilience resilience, String providerName) {
        this(baseUrl, apiKey, dev.brun.llm.CallTimeouts.whole(requestTimeout), resilience, providerName);
    }

    /** @param timeouts connect, first byte, idle and whole-call limits of each HTTP attempt */
    public AnthropicClient(URI baseUrl, String apiKey, dev.brun.llm.CallTimeouts timeouts, Resilience resilience, String providerName) {
        this.providerName = providerName;
        this.messagesUri = ProviderHttp.resolve(baseUrl, "/v1/messages");
        this.apiKey = apiKey == null ? "" : apiKey;
        this.http = new ProviderHttp(baseUrl, timeouts, resilience.clock());
        this.resilience = resilience;
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
        String body = WireJson.MAPPER.writeValueAsString(requestMapper.toWire(request));
        Resilience.Completed<GenerationResult> done = resilience.run(request.requestTag(), request.estimatedInputTokens(), request.maxTokens(), () -> {
            ProviderHttp.Reply reply = http.post(messagesUri, headers(), body);
            RateLimitSnapshot limits = rateLimitHeaders.parse(reply.headers(), reply.receivedAt());
            if (!reply.ok()) throw errorMapper.toException(reply, apiKey, limits, request.requestTag());
            var response = responseMapper.parse(reply.body(), reply.status(), request.requestTag());
            String requestId = reply.header("request-id").orElse("");
            return new Resilience.Outcome<>(responseMapper.toResult(response, requestId, reply.latencyMillis(), limits), limits);
        });
        GenerationResult r = done.value();
        return new GenerationResult(r.toolInput(), r.text(), r.stopReason(), r.usage(), r.requestId(), r.latencyMillis(),
                done.attempts(), r.rateLimit());
    }

    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", apiKey);
        headers.put("anthropic-version", API_VERSION);
        return headers;
    }

    @Override
    public ClientStats stats() { return resilience.stats(); }

    @Override
    public void stopSending() { resilience.stopSending(); }

    @Override
    public String provider() { return providerName; }
}

package dev.brun.llm.anthropic;

import dev.brun.llm.GenerationRequest;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmException;
import dev.brun.llm.ProviderHttp;
import dev.brun.llm.RateLimitSnapshot;
import dev.brun.llm.Resilience;
import dev.brun.llm.WireJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Anthropic Message Batches: create ({@code POST /v1/messages/batches}), retrieve, cancel, and read the
 * JSONL results once {@code processing_status} is {@code ended}. Each request's params are exactly what the
 * synchronous client sends, so results pass the same validation. Polling cadence and what to do with
 * each result are the caller's; every HTTP call here goes through the same {@link Resilience}.
 */
public final class AnthropicBatchClient {
    /** The API's limits per batch. */
    public static final int MAX_REQUESTS = 100_000;
    public static final long MAX_BYTES = 256L * 1024 * 1024;
    private static final Pattern CUSTOM_ID = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

    private final URI baseUrl;
    private final URI batchesUri;
    private final String apiKey;
    private final ProviderHttp http;
    private final Resilience resilience;
    private final AnthropicRequestMapper requestMapper = new AnthropicRequestMapper();
    private final AnthropicResponseMapper responseMapper = new AnthropicResponseMapper();
    private final AnthropicErrorMapper errorMapper = new AnthropicErrorMapper();
    private final AnthropicRateLimitHeaders rateLimitHeaders = new AnthropicRateLimitHeaders();

    public AnthropicBatchClient(URI baseUrl, String apiKey, Duration requestTimeout, Resilience resilience) {
        this(baseUrl, apiKey, dev.brun.llm.CallTimeouts.whole(requestTimeout), resilience);
    }

    public AnthropicBatchClient(URI baseUrl, String apiKey, dev.brun.llm.CallTimeouts timeouts, Resilience resilience) {
        this.baseUrl = baseUrl;
        this.batchesUri = ProviderHttp.resolve(baseUrl, "/v1/messages/batches");
        this.apiKey = apiKey == null ? "" : apiKey;
        this.http = new ProviderHttp(baseUrl, timeouts, resilience.clock());
        this.resilience = resilience;
    }

    /** One request of a batch; customId must match {@code ^[a-zA-Z0-9_-]{1,64}$} (see {@link #customIdFor}). */
    public record BatchItem(String customId, GenerationRequest request) {}

    public record Counts(long processing, long succeeded, long errored, long canceled, long expired) {}

    /** A batch as the API describes it; resultsUrl is set once it has ended. */
    public record BatchStatus(String id, String processingStatus, Counts counts, String resultsUrl, Instant createdAt, Instant endedAt) {
        public boolean ended() { return "ended".equals(processingStatus); }
    }

    public enum ResultType { SUCCEEDED, ERRORED, CANCELED, EXPIRED }

    /** One line of the results: a GenerationResult when succeeded, else the error text (may be empty). */
    public record BatchResult(String customId, ResultType type, GenerationResult result, String error) {}

    /** Submits one batch; the items must fit the API's limits (use {@link #split} first). */
    public BatchStatus create(List<BatchItem> items) {
        if (items.isEmpty()) throw new IllegalArgumentException("a batch needs at least one request");
        if (items.size() > MAX_REQUESTS) throw new IllegalArgumentException("a batch holds at most " + MAX_REQUESTS + " requests, got " + items.size() + "; split it first");
        Set<String> seen = new HashSet<>();
        ObjectNode body = WireJson.MAPPER.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        for (BatchItem item : items) {
            if (!CUSTOM_ID.matcher(item.customId()).matches()) {
                throw new IllegalArgumentException("custom_id '" + item.customId() + "' must match ^[a-zA-Z0-9_-]{1,64}$; use customIdFor(unitKey)");
            }
            if (!seen.add(item.customId())) throw new IllegalArgumentException("custom_id '" + item.customId() + "' appears twice in one batch");
            ObjectNode entry = requests.addObject();
            entry.put("custom_id", item.customId());
            entry.set("params", WireJson.MAPPER.valueToTree(requestMapper.toWire(item.request())));
        }
        String json = body.toString();
        return status(call(() -> http.post(batchesUri, headers(), json), "create a batch of " + items.size()));
    }

    public BatchStatus retrieve(String batchId) {
        return status(call(() -> http.get(ProviderHttp.resolve(batchesUri, "/" + batchId), headers()), "batch " + batchId));
    }

    public BatchStatus cancel(String batchId) {
        return status(call(() -> http.post(ProviderHttp.resolve(batchesUri, "/" + batchId + "/cancel"), headers(), "{}"), "cancel batch " + batchId));
    }

    /** The results of an ended batch, one per request, in the order of the JSONL file. */
    public List<BatchResult> results(BatchStatus batch) {
        if (!batch.ended() || batch.resultsUrl() == null) {
            throw new IllegalStateException("batch " + batch.id() + " has not ended (status " + batch.processingStatus() + ")");
        }
        URI url = URI.create(batch.resultsUrl());
        if (url.getHost() == null) url = ProviderHttp.resolve(baseUrl, batch.resultsUrl());
        URI resultsUri = url;
        ProviderHttp.Reply reply = call(() -> http.get(resultsUri, headers()), "results of batch " + batch.id());
        List<BatchResult> out = new ArrayList<>();
        int lineNumber = 0;
        for (String line : reply.body().split("\n")) {
            lineNumber++;
            if (line.isBlank()) continue;
            out.add(result(line, batch.id(), lineNumber));
        }
        return out;
    }

    private BatchResult result(String line, String batchId, int lineNumber) {
        JsonNode node;
        try {
            node = WireJson.MAPPER.readTree(line);
        } catch (JacksonException e) {
            throw new LlmException(LlmException.Kind.INVALID_RESPONSE, 200, "line " + lineNumber + " of the results of batch " + batchId
                    + " is not JSON: " + e.getOriginalMessage(), "", null, null, 1, e);
        }
        String customId = node.path("custom_id").asString("");
        JsonNode result = node.path("result");
        ResultType type;
        try {
            type = ResultType.valueOf(result.path("type").asString("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LlmException(LlmException.Kind.INVALID_RESPONSE, 200, "line " + lineNumber + " of the results of batch " + batchId
                    + " has an unknown result type '" + result.path("type").asString("") + "'", "", null, null, 1, e);
        }
        if (type == ResultType.SUCCEEDED) {
            var message = responseMapper.parse(result.path("message").toString(), 200, customId);
            return new BatchResult(customId, type, responseMapper.toResult(message, message.id(), 0, RateLimitSnapshot.NONE), "");
        }
        JsonNode error = result.path("error").path("error");
        String text = error.isObject() ? error.path("type").asString("error") + ": " + error.path("message").asString("") : "";
        return new BatchResult(customId, type, null, text);
    }

    private ProviderHttp.Reply call(java.util.function.Supplier<ProviderHttp.Reply> send, String what) {
        return resilience.run(what, 0, 0, () -> {
            ProviderHttp.Reply reply = send.get();
            RateLimitSnapshot limits = rateLimitHeaders.parse(reply.headers(), reply.receivedAt());
            if (!reply.ok()) throw errorMapper.toException(reply, apiKey, limits, what);
            return new Resilience.Outcome<>(reply, limits);
        }).value();
    }

    private BatchStatus status(ProviderHttp.Reply reply) {
        JsonNode json;
        try {
            json = WireJson.MAPPER.readTree(reply.body());
        } catch (JacksonException e) {
            throw new LlmException(LlmException.Kind.INVALID_RESPONSE, reply.status(), "the batch endpoint answered with invalid JSON", "", null, null, 1, e);
        }
        JsonNode c = json.path("request_counts");
        return new BatchStatus(json.path("id").asString(""), json.path("processing_status").asString(""),
                new Counts(c.path("processing").asLong(0), c.path("succeeded").asLong(0), c.path("errored").asLong(0),
                        c.path("canceled").asLong(0), c.path("expired").asLong(0)),
                json.path("results_url").isString() ? json.path("results_url").asString() : null,
                instant(json.path("created_at")), instant(json.path("ended_at")));
    }

    private static Instant instant(JsonNode node) {
        if (!node.isString()) return null;
        try {
            return java.time.OffsetDateTime.parse(node.asString()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return Instant.parse(node.asString());
            } catch (java.time.format.DateTimeParseException again) {
                return null;
            }
        }
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", apiKey);
        headers.put("anthropic-version", AnthropicClient.API_VERSION);
        return headers;
    }

    /**
     * A valid, stable custom_id for any unit key: the key itself when it already fits, else its allowed
     * characters (cut to 47) plus a hash of the whole key, so that different keys stay different.
     */
    public static String customIdFor(String unitKey) {
        if (CUSTOM_ID.matcher(unitKey).matches()) return unitKey;
        String cleaned = unitKey.replaceAll("[^a-zA-Z0-9_-]", "-");
        if (cleaned.length() > 47) cleaned = cleaned.substring(0, 47);
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(unitKey.getBytes(StandardCharsets.UTF_8));
            return cleaned + "-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Splits items into batches within the request and byte limits, keeping their order. */
    public static List<List<BatchItem>> split(List<BatchItem> items, int maxRequests, long maxBytes) {
        AnthropicRequestMapper mapper = new AnthropicRequestMapper();
        List<List<BatchItem>> batches = new ArrayList<>();
        List<BatchItem> current = new ArrayList<>();
        long bytes = 0;
        for (BatchItem item : items) {
            // each entry costs its params plus the custom_id envelope and a separating comma
            long size = WireJson.MAPPER.writeValueAsBytes(mapper.toWire(item.request())).length + item.customId().length() + 32;
            if (!current.isEmpty() && (current.size() >= maxRequests || bytes + size > maxBytes)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(item);
            bytes += size;
        }
        if (!current.isEmpty()) batches.add(current);
        return batches;
    }

    public static List<List<BatchItem>> split(List<BatchItem> items) {
        return split(items, MAX_REQUESTS, MAX_BYTES - 1024);
    }
}

package dev.brun.llm.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scriptable provider on 127.0.0.1 (random port) speaking the Anthropic Messages protocol, its Message
 * Batches endpoints, and the OpenAI-compatible {@code /v1/chat/completions}. Every request is recorded.
 *
 * <p>Each request to a generation path is answered, in this order, by: the rate limits (token buckets with
 * continuous refill for requests and, in token-bucket mode, uncached input and output tokens, as Anthropic's;
 * 429 with {@code retry-after} and {@code retry-after-ms} when a bucket lacks what the call needs), the random
 * fault rate (529 / 503), the next scripted reply for that path, the path's responder, or else a 404 that says
 * nothing was scripted. An admitted call's output tokens are charged with its max_tokens until its reply has
 * been sent (after the latency), then corrected to the reply's usage.
 */
public final class FakeProviderServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FakeProviderServer.class);
    static {
        // The JDK's HTTP server leaves Nagle's algorithm on: a response sent as headers then body waits for the
        // client's delayed ACK, about 40 ms a call, which would make the simulator several times slower than the
        // latency it is configured with. The server reads this property once, when it is first used.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public static final String MESSAGES = "/v1/messages";
    public static final String CHAT_COMPLETIONS = "/v1/chat/completions";
    public static final String BATCHES = "/v1/messages/batches";

    /** Answers a request when no scripted reply is queued. */
    @FunctionalInterface
    public interface Responder {
        ScriptedResponse respond(RecordedRequest request);
    }

    /** How one request of a batch ends. */
    public enum BatchOutcome { SUCCEEDED, ERRORED, EXPIRED, CANCELED }

    /**
     * How batches behave: {@code pollsBeforeEnded} retrievals answer in_progress, then ended; each
     * custom_id's outcome comes from {@code outcomeFor}; succeeded ones are answered by the messages responder.
     */
    public record BatchScript(int pollsBeforeEnded, Function<String, BatchOutcome> outcomeFor) {
        public static final BatchScript IMMEDIATE = new BatchScript(0, id -> BatchOutcome.SUCCEEDED);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Clock clock;
    private final String instanceTag = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<ScriptedResponse>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Responder> responders = new ConcurrentHashMap<>();
    private final Map<String, Batch> batches = new ConcurrentHashMap<>();
    private final AtomicInteger batchSequence = new AtomicInteger();
    private final AtomicInteger requestSequence = new AtomicInteger();
    private volatile BatchScript batchScript = BatchScript.IMMEDIATE;
    private final List<Billed> billed = new CopyOnWriteArrayList<>();
    private final Map<String, RecordedRequest> byRequestId = new ConcurrentHashMap<>();
    private HttpServer server;
    private ExecutorService executor;
    private URI baseUrl;

    // rate limits, guarded by "this"; null when there are none
    private RateLimitBuckets limits;
    private int rateLimitedCount;
    private int admittedCount;

    // random faults, guarded by "this"
    private double faultRate;
    private Random faultRandom = new Random(0);
    private int faultCount;

    private volatile Duration minLatency = Duration.ZERO;
    private volatile Duration maxLatency = Duration.ZERO;
    private final Random latencyRandom = new Random(7);

    public FakeProviderServer() { this(Clock.systemUTC()); }

    public FakeProviderServer(Clock clock) { this.clock = clock; }

    /** Binds to 127.0.0.1 on a free port and returns the base URL, e.g. http://127.0.0.1:41234. */
    public synchronized URI start() {
        if (server != null) return baseUrl;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the fake provider to 127.0.0.1: " + e.getMessage(), e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return baseUrl;
    }

    public URI baseUrl() {
        if (baseUrl == null) throw new IllegalStateException("the fake provider is not started");
        return baseUrl;
    }

    @Override
    public synchronized void close() {
        if (server == null) return;
        server.stop(0);
        executor.shutdownNow();
        server = null;
    }

    // ---- scripting ----

    /** Queues replies for a path ({@link #MESSAGES} or {@link #CHAT_COMPLETIONS}), used in order, one per request. */
    public FakeProviderServer script(String path, ScriptedResponse... replies) {
        Deque<ScriptedResponse> queue = scripts.computeIfAbsent(path, p -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addAll(List.of(replies));
        }
        return this;
    }

    /** Answers a path whenever no scripted reply is queued. */
    public FakeProviderServer respondWith(String path, Responder responder) {
        responders.put(path, responder);
        return this;
    }

    /**
     * Allows {@code limit} generation requests per window, as a bucket of that size refilled continuously;
     * beyond it answers 429 until one request has flowed back in.
     */
    public synchronized FakeProviderServer limitRequests(int limit, Duration perWindow) {
        this.limits = new RateLimitBuckets(clock, limit, 0, 0, perWindow);
        return this;
    }

    /**
     * Token-bucket mode, as Anthropic limits a key: requests, uncached input tokens (cache reads do not count)
     * and output tokens per window, each a bucket refilled continuously; 0 leaves a dimension unlimited. Use a
     * window shorter than a minute to run a scaled-down minute.
     */
    public synchronized FakeProviderServer limitTokenBuckets(long requests, long inputTokens, long outputTokens, Duration perWindow) {
        this.limits = new RateLimitBuckets(clock, requests, inputTokens, outputTokens, perWindow);
        return this;
    }

    /** Generation requests let through by the rate limits. */
    public synchronized int admittedCount() { return admittedCount; }

    /** Answers this share of generation requests with 529 overloaded (503 on the OpenAI path). */
    public synchronized FakeProviderServer faultRate(double rate, long seed) {
        this.faultRate = rate;
        this.faultRandom = new Random(seed);
        return this;
    }

    /** Waits a random time in [min, max] before every reply. */
    public FakeProviderServer latency(Duration min, Duration max) {
        this.minLatency = min;
        this.maxLatency = max.compareTo(min) < 0 ? min : max;
        return this;
    }

    public FakeProviderServer batchScript(BatchScript script) {
        this.batchScript = script;
        return this;
    }

    // ---- observing ----

    public List<RecordedRequest> requests() { return List.copyOf(received); }

    public List<RecordedRequest> requests(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /**
     * A generation the provider would invoice: a 200 Messages reply it started to send, whether or not the
     * client read it to the end (a client that gave up mid-reply is billed all the same).
     */
    public record Billed(String requestId, String model, dev.brun.llm.Usage usage) {}

    /** Every billed generation so far, in the order the replies were sent: what the provider's invoice would say. */
    public List<Billed> billed() { return List.copyOf(billed); }

    /** The request a reply's {@code request-id} answered, as a provider's logs would tell. */
    public java.util.Optional<RecordedRequest> requestFor(String requestId) {
        return java.util.Optional.ofNullable(byRequestId.get(requestId));
    }

    public synchronized int rateLimitedCount() { return rateLimitedCount; }

    public synchronized int faultCount() { return faultCount; }

    /** How many request params each batch holds, in the order the batches were created (for split tests). */
    public Map<String, Integer> batchSizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        batches.values().stream().sorted(java.util.Comparator.comparingLong((Batch b) -> b.sequence))
                .forEach(b -> sizes.put(b.id, b.requests.size()));
        return sizes;
    }

    // ---- serving ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), path,
                    new HashMap<>(exchange.getRequestHeaders()), body);
            received.add(request);
            ScriptedResponse reply;
            RateLimitBuckets.Charge charge = null;
            try {
                boolean generation = path.equals(MESSAGES) || path.equals(CHAT_COMPLETIONS);
                RateLimitBuckets.Admission admission = generation ? admit(request) : null;
                if (admission != null && !admission.admitted()) reply = rateLimited(admission, path.equals(CHAT_COMPLETIONS));
                else {
                    charge = admission == null ? null : admission.charge();
                    reply = route(request);
                }
            } catch (RuntimeException e) {
                // without a reply the client would wait for its whole timeout: say what broke instead
                LOG.error("fake provider: {} {} failed", request.method(), path, e);
                reply = ScriptedResponse.anthropicError(500, "api_error", "the fake provider failed: " + e);
            }
            String requestId = "req_fake_" + requestSequence.incrementAndGet();
            byRequestId.put(requestId, request);
            reply = reply.withHeader("request-id", requestId);
            sleep(randomLatency());
            if (charge != null) reply = settle(charge, reply, path.equals(CHAT_COMPLETIONS));
            if (path.equals(MESSAGES) && reply.status() == 200) bill(requestId, reply);
            write(exchange, reply);
        }
    }

    private void bill(String requestId, ScriptedResponse reply) {
        try {
            JsonNode body = JSON.readTree(reply.body());
            if (!body.has("usage")) return;
            var wire = dev.brun.llm.WireJson.MAPPER.treeToValue(body.get("usage"), dev.brun.llm.anthropic.AnthropicWire.WireUsage.class);
            billed.add(new Billed(requestId, body.path("model").asString(""), new dev.brun.llm.anthropic.AnthropicUsageMapper().toUsage(wire)));
        } catch (RuntimeException notJson) {
            // a scripted non-JSON reply carries no usage to bill
        }
    }

    private ScriptedResponse route(RecordedRequest request) {
        String path = request.path();
        if (path.equals(MESSAGES) || path.equals(CHAT_COMPLETIONS)) return generation(request);
        if (path.startsWith(BATCHES)) return batchEndpoint(request);
        return ScriptedResponse.anthropicError(404, "not_found_error", "no such endpoint on the fake provider: " + path);
    }

    private ScriptedResponse generation(RecordedRequest request) {
        boolean openAi = request.path().equals(CHAT_COMPLETIONS);
        if (drawFault()) {
            return openAi ? ScriptedResponse.openAiError(503, "server_error", "The server is overloaded (simulated fault).")
                    : ScriptedResponse.anthropicError(529, "overloaded_error", "Overloaded (simulated fault).");
        }
        Deque<ScriptedResponse> queue = scripts.get(request.path());
        if (queue != null) {
            synchronized (queue) {
                if (!queue.isEmpty()) return queue.poll();
            }
        }
        Responder responder = responders.get(request.path());
        if (responder != null) return responder.respond(request);
        return ScriptedResponse.anthropicError(404, "not_found_error", "nothing scripted for " + request.path());
    }

    /** Null when no limits are set; else the buckets' verdict for this call. */
    private synchronized RateLimitBuckets.Admission admit(RecordedRequest request) {
        if (limits == null) return null;
        JsonNode body = request.json();
        long maxTokens = body.path("max_tokens").asLong(body.path("max_completion_tokens").asLong(4096));
        RateLimitBuckets.Admission admission = limits.admit(uncachedInputEstimate(body), maxTokens);
        if (admission.admitted()) admittedCount++;
        else rateLimitedCount++;
        return admission;
    }

    /** Characters after the last cache breakpoint (tools, then system, then messages), as tokens. */
    static long uncachedInputEstimate(JsonNode body) {
        StringBuilder all = new StringBuilder();
        int lastBreakpoint = 0;
        for (JsonNode tool : body.path("tools")) {
            all.append(tool);
            if (tool.has("cache_control")) lastBreakpoint = all.length();
        }
        JsonNode system = body.path("system");
        if (system.isString()) all.append(system.asString());
        for (JsonNode block : system.isArray() ? system : JSON.createArrayNode()) {
            all.append(block.path("text").asString(""));
            if (block.has("cache_control")) lastBreakpoint = all.length();
        }
        for (JsonNode m : body.path("messages")) all.append(m.path("content").isString() ? m.path("content").asString() : m.path("content").toString());
        return PromptCacheModel.tokens(all.length() - lastBreakpoint);
    }

    private synchronized ScriptedResponse rateLimited(RateLimitBuckets.Admission admission, boolean openAi) {
        Duration wait = admission.retryAfter();
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        ScriptedResponse reply = openAi
                ? ScriptedResponse.openAiError(429, "rate_limit_exceeded", "Rate limit reached for " + admission.limitName() + " (simulated).")
                : ScriptedResponse.anthropicError(429, "rate_limit_error", "This request would exceed your rate limit for "
                        + admission.limitName() + " (simulated).");
        reply = reply.withHeader("retry-after", Long.toString(seconds)).withHeader("retry-after-ms", Long.toString(Math.max(1, wait.toMillis())));
        return reply.withHeaders(openAi ? limits.openAiHeaders() : limits.anthropicHeaders());
    }

    /** The call has ended: the buckets get back what it did not use, and the reply says where they stand. */
    private synchronized ScriptedResponse settle(RateLimitBuckets.Charge charge, ScriptedResponse reply, boolean openAi) {
        long uncachedInput = charge.inputTokens();
        long output = 0;
        if (reply.status() == 200) {
            try {
                JsonNode usage = JSON.readTree(reply.body()).path("usage");
                if (openAi) output = usage.path("completion_tokens").asLong(0);
                else {
                    output = usage.path("output_tokens").asLong(0);
                    if (usage.has("input_tokens")) uncachedInput = usage.path("input_tokens").asLong(0) + usage.path("cache_creation_input_tokens").asLong(0);
                }
            } catch (RuntimeException notJson) {
                // a scripted body that is not JSON: nothing used beyond the estimate
            }
        }
        limits.settle(charge, uncachedInput, output);
        return reply.withHeaders(openAi ? limits.openAiHeaders() : limits.anthropicHeaders());
    }

    private synchronized boolean drawFault() {
        if (faultRate <= 0) return false;
        boolean fault = faultRandom.nextDouble() < faultRate;
        if (fault) faultCount++;
        return fault;
    }

    private Duration randomLatency() {
        long min = minLatency.toMillis();
        long max = maxLatency.toMillis();
        if (max <= 0) return Duration.ZERO;
        synchronized (latencyRandom) {
            return Duration.ofMillis(min + (max > min ? latencyRandom.nextLong(max - min + 1) : 0));
        }
    }

    // ---- Message Batches ----

    private final class Batch {
        final String id;
        final long sequence;
        final List<JsonNode> requests;
        final Instant createdAt;
        int polls;
        boolean canceled;
        Instant endedAt;
        Map<String, BatchOutcome> outcomes;

        Batch(String id, long sequence, List<JsonNode> requests, Instant createdAt) {
            this.id = id;
            this.sequence = sequence;
            this.requests = requests;
            this.createdAt = createdAt;
        }
    }

    private ScriptedResponse batchEndpoint(RecordedRequest request) {
        String rest = request.path().substring(BATCHES.length());
        if (rest.isEmpty() || rest.equals("/")) {
            if (!request.method().equals("POST")) return ScriptedResponse.anthropicError(405, "invalid_request_error", "use POST to create a batch");
            return createBatch(request);
        }
        String[] parts = rest.substring(1).split("/");
        Batch batch = batches.get(parts[0]);
        if (batch == null) return ScriptedResponse.anthropicError(404, "not_found_error", "no batch " + parts[0]);
        synchronized (batch) {
            if (parts.length == 1) {
                batch.polls++;
                if (batch.endedAt == null && (batch.canceled || batch.polls > batchScript.pollsBeforeEnded())) end(batch);
                return ScriptedResponse.json(200, batchJson(batch).toString());
            }
            return switch (parts[1]) {
                case "results" -> batch.endedAt == null
                        ? ScriptedResponse.anthropicError(400, "invalid_request_error", "batch " + batch.id + " has not ended yet")
                        : new ScriptedResponse(200, Map.of("content-type", "application/binary"), results(batch), null, null, null);
                case "cancel" -> {
                    batch.canceled = true;
                    ObjectNode json = batchJson(batch);
                    if (batch.endedAt == null) json.put("processing_status", "canceling");
                    yield ScriptedResponse.json(200, json.toString());
                }
                default -> ScriptedResponse.anthropicError(404, "not_found_error", "no such batch endpoint: " + request.path());
            };
        }
    }

    private ScriptedResponse createBatch(RecordedRequest request) {
        JsonNode requests = request.json().path("requests");
        if (!requests.isArray() || requests.isEmpty()) {
            return ScriptedResponse.anthropicError(400, "invalid_request_error", "requests: must be a non-empty list");
        }
        List<JsonNode> items = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (JsonNode item : requests) {
            String customId = item.path("custom_id").asString("");
            if (!customId.matches("^[a-zA-Z0-9_-]{1,64}$")) {
                return ScriptedResponse.anthropicError(400, "invalid_request_error",
                        "requests: custom_id '" + customId + "' must match ^[a-zA-Z0-9_-]{1,64}$");
            }
            if (!ids.add(customId)) {
                return ScriptedResponse.anthropicError(400, "invalid_request_error", "requests: custom_id '" + customId + "' is not unique");
            }
            items.add(item);
        }
        // unique across server instances: a project keeps batch ids from earlier runs of the simulated provider
        long sequence = batchSequence.incrementAndGet();
        String id = "msgbatch_fake" + instanceTag + "_" + sequence;
        Batch batch = new Batch(id, sequence, items, clock.instant());
        batches.put(id, batch);
        return ScriptedResponse.json(200, batchJson(batch).toString());
    }

    private void end(Batch batch) {
        batch.endedAt = clock.instant();
        batch.outcomes = new LinkedHashMap<>();
        for (JsonNode item : batch.requests) {
            String customId = item.path("custom_id").asString();
            batch.outcomes.put(customId, batch.canceled ? BatchOutcome.CANCELED : batchScript.outcomeFor().apply(customId));
        }
    }

    private ObjectNode batchJson(Batch batch) {
        ObjectNode json = JSON.createObjectNode();
        json.put("id", batch.id);
        json.put("type", "message_batch");
        json.put("processing_status", batch.endedAt == null ? "in_progress" : "ended");
        ObjectNode counts = json.putObject("request_counts");
        int processing = batch.endedAt == null ? batch.requests.size() : 0;
        counts.put("processing", processing);
        for (BatchOutcome outcome : BatchOutcome.values()) {
            long n = batch.outcomes == null ? 0 : batch.outcomes.values().stream().filter(o -> o == outcome).count();
            counts.put(outcome.name().toLowerCase(java.util.Locale.ROOT), n);
        }
        json.put("created_at", batch.createdAt.toString());
        json.put("expires_at", batch.createdAt.plus(Duration.ofHours(24)).toString());
        if (batch.endedAt == null) {
            json.putNull("ended_at");
            json.putNull("results_url");
        } else {
            json.put("ended_at", batch.endedAt.toString());
            json.put("results_url", baseUrl() + BATCHES + "/" + batch.id + "/results");
        }
        return json;
    }

    private String results(Batch batch) {
        StringBuilder out = new StringBuilder();
        Responder responder = responders.get(MESSAGES);
        for (JsonNode item : batch.requests) {
            String customId = item.path("custom_id").asString();
            ObjectNode line = JSON.createObjectNode();
            line.put("custom_id", customId);
            ObjectNode result = line.putObject("result");
            BatchOutcome outcome = batch.outcomes.get(customId);
            result.put("type", outcome.name().toLowerCase(java.util.Locale.ROOT));
            switch (outcome) {
                case SUCCEEDED -> {
                    JsonNode message = succeededMessage(responder, item.path("params"), batch.id, customId);
                    if (message == null) {
                        result.put("type", "errored");
                        result.set("error", errorJson("api_error", "the simulated message could not be produced"));
                    } else {
                        result.set("message", message);
                    }
                }
                case ERRORED -> result.set("error", errorJson("invalid_request_error", "simulated error for " + customId));
                case EXPIRED, CANCELED -> { }
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private JsonNode succeededMessage(Responder responder, JsonNode params, String batchId, String customId) {
        if (responder == null) {
            ObjectNode message = JSON.createObjectNode();
            message.put("id", "msg_" + batchId + "_" + customId);
            message.put("type", "message");
            message.put("role", "assistant");
            message.put("model", params.path("model").asString(""));
            ArrayNode content = message.putArray("content");
            content.addObject().put("type", "text").put("text", "ok");
            message.put("stop_reason", "end_turn");
            message.putObject("usage").put("input_tokens", 10).put("output_tokens", 1);
            return message;
        }
        ScriptedResponse reply = responder.respond(new RecordedRequest("POST", MESSAGES, Map.of(), params.toString()));
        if (reply.status() != 200) return null;
        try {
            return JSON.readTree(reply.body());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ObjectNode errorJson(String type, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("type", "error");
        error.putObject("error").put("type", type).put("message", message);
        return error;
    }

    // ---- writing replies ----

    private static void write(HttpExchange exchange, ScriptedResponse reply) throws IOException {
        sleep(reply.delay());
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length == 0) return;
        OutputStream out = exchange.getResponseBody();
        switch (reply.delivery()) {
            case WHOLE -> out.write(bytes);
            case SLOW -> {
                int chunk = Math.max(1, bytes.length / 5);
                for (int i = 0; i < bytes.length; i += chunk) {
                    out.write(bytes, i, Math.min(chunk, bytes.length - i));
                    out.flush();
                    sleep(reply.chunkPause());
                }
            }
            case TRUNCATED -> {
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                // A handler that throws makes com.sun.net.httpserver close the socket: the client sees the
                // connection end short of the promised Content-Length.
                throw new IOException("simulated connection drop mid-body");
            }
        }
        out.close();
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.brun.llm.sim;

import dev.brun.llm.CacheTtl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * The built-in provider of {@code --provider simulated} and {@code ./brun demo}: a {@link FakeProviderServer}
 * on 127.0.0.1 that answers {@code /v1/messages} (and the OpenAI-compatible {@code /v1/chat/completions},
 * and Message Batches) with conversations written from the facts of the unit each request names, looked up
 * in the {@link UnitDirectory} it was constructed with (see {@link UnitFacts}), deterministic per unit key and
 * variation index. Usage looks like Anthropic's:
 * input ≈ characters / 4, a cache write on the first use of a cacheable prefix per model and reads after,
 * output ≈ the tool input's characters / 4; replies carry rate-limit headers. Latency and a fault rate
 * (529 overloaded) are configurable.
 *
 * <pre>{@code
 * try (SimulatedProvider sim = new SimulatedProvider(Settings.DEFAULT, units)) {
 *     URI base = sim.start();   // give it to AnthropicClient as its base URL; any key works
 *     ...
 * }
 * }</pre>
 */
public final class SimulatedProvider implements AutoCloseable {
    public static final String CONVERSATION_TOOL = "submit_conversation";
    static final String UNKNOWN_UNIT = "the simulated provider knows no unit named in this request's instruction,"
            + " so it cannot write a conversation (its unit directory has no such unit key)";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Anthropic rejects a request with more cache_control blocks than this. */
    static final int MAX_CACHE_BREAKPOINTS = 4;

    /**
     * Rate limits are token buckets refilled continuously over {@code window}, as Anthropic's; a call beyond
     * one is answered 429 with retry-after, and every reply carries {@code anthropic-ratelimit-*} headers.
     *
     * @param requestsPerWindow     requests per window
     * @param inputTokensPerWindow  uncached input tokens per window (cache reads do not count)
     * @param outputTokensPerWindow output tokens per window, charged with max_tokens while a call runs
     */
    public record Settings(Duration minLatency, Duration maxLatency, double faultRate, long faultSeed,
                           int requestsPerWindow, long inputTokensPerWindow, long outputTokensPerWindow, Duration window) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(5), Duration.ofMillis(20), 0.0, 1L,
                4000, 10_000_000, 2_000_000, Duration.ofMinutes(1));

        public Settings withLatency(Duration min, Duration max) {
            return new Settings(min, max, faultRate, faultSeed, requestsPerWindow, inputTokensPerWindow, outputTokensPerWindow, window);
        }

        public Settings withFaultRate(double rate, long seed) {
            return new Settings(minLatency, maxLatency, rate, seed, requestsPerWindow, inputTokensPerWindow, outputTokensPerWindow, window);
        }

        public Settings withRequestLimit(int requests, Duration per) {
            return new Settings(minLatency, maxLatency, faultRate, faultSeed, requests, inputTokensPerWindow, outputTokensPerWindow, per);
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final FakeProviderServer server;
    private final ConversationSimulator conversations = new ConversationSimulator();
    private final SchemaFiller schemaFiller = new SchemaFiller();
    private final PromptCacheModel cache;
    private final TokenWindow tokenWindow;
    private final UnitDirectory units;

    /** A simulator that knows no unit: it answers only tools other than the conversation's (judges, scorers). */
    public SimulatedProvider() { this(Settings.DEFAULT, UnitDirectory.NONE); }

    public SimulatedProvider(Settings settings) { this(settings, UnitDirectory.NONE); }

    public SimulatedProvider(Settings settings, UnitDirectory units) { this(settings, units, Clock.systemUTC()); }

    public SimulatedProvider(Settings settings, UnitDirectory units, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.units = units;
        this.cache = new PromptCacheModel(clock);
        this.tokenWindow = new TokenWindow(settings.window(), clock);
        this.server = new FakeProviderServer(clock)
                .respondWith(FakeProviderServer.MESSAGES, this::answerMessages)
                .respondWith(FakeProviderServer.CHAT_COMPLETIONS, this::answerChat)
                .latency(settings.minLatency(), settings.maxLatency())
                .faultRate(settings.faultRate(), settings.faultSeed());
        // Anthropic's limits are token buckets: requests, uncached input and output tokens per window
        server.limitTokenBuckets(Math.max(0, settings.requestsPerWindow()), settings.inputTokensPerWindow(),
                settings.outputTokensPerWindow(), settings.window());
    }

    /** Starts the server and returns its base URL, e.g. http://127.0.0.1:41234. */
    public URI start() { return server.start(); }

    public URI baseUrl() { return server.baseUrl(); }

    /**
     * The real Anthropic client pointed at this simulator (started if needed), reporting provider
     * {@code simulated}; the simulator accepts any key.
     */
    public dev.brun.llm.anthropic.AnthropicClient client(dev.brun.llm.CallTimeouts timeouts, dev.brun.llm.Resilience resilience) {
        return new dev.brun.llm.anthropic.AnthropicClient(start(), "simulated-key", timeouts, resilience, "simulated");
    }

    public dev.brun.llm.anthropic.AnthropicClient client(Duration requestTimeout, dev.brun.llm.Resilience resilience) {
        return new dev.brun.llm.anthropic.AnthropicClient(start(), "simulated-key", requestTimeout, resilience, "simulated");
    }

    /** The underlying server, to script faults or inspect requests in tests. */
    public FakeProviderServer server() { return server; }

    @Override
    public void close() { server.close(); }

    // ---- Anthropic Messages ----

    ScriptedResponse answerMessages(RecordedRequest request) {
        JsonNode body = request.json();
        if (!body.isObject()) return ScriptedResponse.anthropicError(400, "invalid_request_error", "the body is not a JSON object");
        String model = body.path("model").asString("");
        int maxTokens = body.path("max_tokens").asInt(0);
        if (model.isEmpty() || maxTokens <= 0) {
            return ScriptedResponse.anthropicError(400, "invalid_request_error", "model and max_tokens are required");
        }
        if (body.has("temperature") && body.has("top_p")) {
            return ScriptedResponse.anthropicError(400, "invalid_request_error",
                    "`temperature` and `top_p` cannot both be specified for this model. Please use only one.");
        }
        StringBuilder all = new StringBuilder();
        List<Integer> breakpointEnds = new ArrayList<>(); // where each breakpoint's prefix ends in all
        List<JsonNode> breakpoints = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            all.append(tool);
            if (tool.has("cache_control")) {
                breakpointEnds.add(all.length());
                breakpoints.add(tool.path("cache_control"));
            }
        }
        StringBuilder systemText = new StringBuilder();
        JsonNode system = body.path("system");
        if (system.isString()) {
            all.append(system.asString());
            systemText.append(system.asString());
        }
        for (JsonNode block : system.isArray() ? system : JSON.createArrayNode()) {
            String text = block.path("text").asString("");
            all.append(text);
            systemText.append(text).append('\n');
            if (block.has("cache_control")) {
                breakpointEnds.add(all.length());
                breakpoints.add(block.path("cache_control"));
            }
        }
        if (breakpoints.size() > MAX_CACHE_BREAKPOINTS) {
            return ScriptedResponse.anthropicError(400, "invalid_request_error",
                    "A maximum of " + MAX_CACHE_BREAKPOINTS + " blocks with cache_control may be provided. Found " + breakpoints.size() + ".");
        }
        List<CacheTtl> ttls = new ArrayList<>();
        boolean sawFiveMinutes = false;
        for (JsonNode control : breakpoints) {
            String wire = control.path("ttl").asString("5m");
            Optional<CacheTtl> asked = CacheTtl.fromWire(wire);
            if (asked.isEmpty() || !wire.equals(asked.get().wire())) {
                return ScriptedResponse.anthropicError(400, "invalid_request_error", "cache_control.ttl: Input should be '5m' or '1h'");
            }
            if (asked.get() == CacheTtl.ONE_HOUR && sawFiveMinutes) {
                return ScriptedResponse.anthropicError(400, "invalid_request_error",
                        "a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block");
            }
            sawFiveMinutes |= asked.get() == CacheTtl.FIVE_MINUTES;
            ttls.add(asked.get());
        }
        for (JsonNode message : body.path("messages")) all.append(message.path("content").isString() ? message.path("content").asString() : message.path("content").toString());
        List<PromptCacheModel.Breakpoint> cachePrefixes = new ArrayList<>();
        for (int i = 0; i < breakpointEnds.size(); i++)
            cachePrefixes.add(new PromptCacheModel.Breakpoint(all.substring(0, breakpointEnds.get(i)), ttls.get(i)));

        JsonNode tool = body.path("tools").path(0);
        String forced = body.path("tool_choice").path("name").asString(tool.path("name").asString(""));
        StringBuilder instruction = new StringBuilder();
        for (JsonNode m : body.path("messages")) {
            if (!"user".equals(m.path("role").asString(""))) continue;
            JsonNode content = m.path("content");
            if (content.isString()) instruction.append(content.asString()).append('\n');
            else for (JsonNode part : content) instruction.append(part.path("text").asString("")).append('\n');
        }
        Optional<UnitFacts> facts = units.find(instruction.toString());
        ObjectNode message = JSON.createObjectNode();
        // deterministic per prompt and limit: a request sent again with a larger max_tokens is another message
        String id = "msg_sim_" + HexFormat.of().toHexDigits(ConversationSimulator.seed(all.toString() + "|" + maxTokens));
        message.put("id", id);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        JsonNode output;
        if (CONVERSATION_TOOL.equals(forced)) {
            if (facts.isEmpty()) {
                return ScriptedResponse.anthropicError(400, "invalid_request_error", UNKNOWN_UNIT);
            }
            output = conversations.write(facts.get());
        } else if (!forced.isEmpty()) {
            output = schemaFiller.fill(tool.path("input_schema"));
        } else {
            output = JSON.getNodeFactory().stringNode("This is a simulated reply.");
        }
        String outputText = output.isString() ? output.asString() : output.toString();
        long outputTokens = PromptCacheModel.tokens(outputText.length());
        String stopReason;
        if (outputTokens > maxTokens) {
            stopReason = "max_tokens";
            outputTokens = maxTokens;
            message.putArray("content").addObject().put("type", "text").put("text", outputText.substring(0, Math.min(outputText.length(), maxTokens * 4)));
        } else if (output.isString()) {
            stopReason = "end_turn";
            message.putArray("content").addObject().put("type", "text").put("text", outputText);
        } else {
            stopReason = "tool_use";
            ObjectNode use = message.putArray("content").addObject();
            use.put("type", "tool_use").put("id", "toolu_sim_" + id.substring(8)).put("name", forced);
            use.set("input", output);
        }
        message.put("stop_reason", stopReason);
        message.putNull("stop_sequence");
        PromptCacheModel.Split split = cache.account(model, cachePrefixes, all.length(), toolUseSystemTokens(body));
        ObjectNode usage = message.putObject("usage")
                .put("input_tokens", split.input())
                .put("output_tokens", outputTokens)
                .put("cache_creation_input_tokens", split.cacheWrite())
                .put("cache_read_input_tokens", split.cacheRead());
        usage.putObject("cache_creation")
                .put("ephemeral_5m_input_tokens", split.cacheWrite5m())
                .put("ephemeral_1h_input_tokens", split.cacheWrite1h());
        // the server's token buckets add the rate-limit headers once the call has ended
        return ScriptedResponse.json(200, message.toString());
    }

    /**
     * Anthropic bills a system prompt of its own when a request carries tools: 313 tokens when a tool is forced
     * (tool_choice any or tool), 346 otherwise, for the Claude 4 family.
     */
    static long toolUseSystemTokens(JsonNode body) {
        if (!body.path("tools").isArray() || body.path("tools").isEmpty()) return 0;
        String choice = body.path("tool_choice").path("type").asString("auto");
        return choice.equals("any") || choice.equals("tool") ? 313 : 346;
    }

    // ---- OpenAI-compatible chat completions ----

    ScriptedResponse answerChat(RecordedRequest request) {
        JsonNode body = request.json();
        if (!body.isObject() || !body.path("messages").isArray()) {
            return ScriptedResponse.openAiError(400, "invalid_request_error", "messages is required");
        }
        String model = body.path("model").asString("");
        int maxTokens = body.path("max_tokens").asInt(body.path("max_completion_tokens").asInt(4096));
        StringBuilder system = new StringBuilder();
        StringBuilder all = new StringBuilder();
        StringBuilder instruction = new StringBuilder();
        for (JsonNode m : body.path("messages")) {
            String content = m.path("content").asString("");
            all.append(content);
            if ("system".equals(m.path("role").asString())) system.append(content).append('\n');
            if ("user".equals(m.path("role").asString())) instruction.append(content).append('\n');
        }
        Optional<UnitFacts> facts = units.find(instruction.toString());
        JsonNode schema = body.path("response_format").path("json_schema").path("schema");
        String content;
        String format = body.path("response_format").path("json_schema").path("name").asString(CONVERSATION_TOOL);
        if (facts.isPresent() && CONVERSATION_TOOL.equals(format)) content = conversations.write(facts.get()).toString();
        else if (schema.isObject()) content = schemaFiller.fill(schema).toString();
        else content = "This is a simulated reply.";
        long completion = PromptCacheModel.tokens(content.length());
        String finish = "stop";
        if (completion > maxTokens) {
            finish = "length";
            completion = maxTokens;
            content = content.substring(0, Math.min(content.length(), maxTokens * 4));
        }
        long prompt = PromptCacheModel.tokens(all.length());
        PromptCacheModel.Split split = cache.account(model, system.toString(), all.length());
        long cached = split.cacheRead() / 128 * 128; // OpenAI caches in 128-token steps
        ObjectNode reply = JSON.createObjectNode();
        reply.put("id", "chatcmpl-sim-" + HexFormat.of().toHexDigits(ConversationSimulator.seed(all.toString())));
        reply.put("object", "chat.completion");
        reply.put("model", model);
        ObjectNode choice = reply.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", finish);
        ObjectNode usage = reply.putObject("usage");
        usage.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cached);
        return ScriptedResponse.json(200, reply.toString()).withHeaders(tokenWindow.openAiHeaders(prompt + completion));
    }

    /** Token use per window, for the OpenAI-style combined token headers. */
    private final class TokenWindow {
        private final Duration length;
        private final Clock clock;
        private Instant start;
        private long input;
        private long output;

        TokenWindow(Duration length, Clock clock) {
            this.length = length;
            this.clock = clock;
            this.start = clock.instant();
        }

        synchronized Map<String, String> openAiHeaders(long tokens) {
            Instant reset = roll();
            input += tokens;
            long limit = settings.inputTokensPerWindow() + settings.outputTokensPerWindow();
            Map<String, String> h = new LinkedHashMap<>();
            h.put("x-ratelimit-limit-tokens", Long.toString(limit));
            h.put("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, limit - input)));
            h.put("x-ratelimit-reset-tokens", Math.max(0, Duration.between(clock.instant(), reset).toMillis()) + "ms");
            return h;
        }

        private Instant roll() {
            Instant now = clock.instant();
            while (!now.isBefore(start.plus(length))) {
                start = start.plus(length);
                input = 0;
                output = 0;
            }
            return start.plus(length).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        }
    }
}

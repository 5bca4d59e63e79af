package dev.brun.llm.sim;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Makes a simulator's conversations as long as a real model's (its own are a third of that): each reply's
 * assistant turns are lengthened until its tool input reaches a size drawn per unit around a mean, and the
 * usage says so. A reply that no longer fits max_tokens stops at max_tokens, as a real one would. Records
 * every answered call's end, output tokens and max_tokens, the server side of a pacing benchmark.
 */
public final class LongReplies {
    /** One answered call as the server saw it. */
    public record Call(long answeredAtNanos, long outputTokens, long maxTokens, boolean truncated) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> MORE = List.of(
            " To put numbers on it, set aside a fixed amount on the day your pay arrives, before anything else leaves the account.",
            " Many people in your position feel exactly this way at first, and it usually eases once the first step is done.",
            " We can revisit the figure in three months and adjust it to what your spending really looks like.",
            " The point is not to be perfect but to have a plan you can follow on an ordinary, busy week.",
            " If anything in that feels unclear, say so and we will go through it again in plain words.");

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    private LongReplies() {}

    /** Installs itself in front of the simulator's messages responder; replies average meanTokens output tokens (±spread). */
    public static LongReplies install(SimulatedProvider sim, int meanTokens, int spread) {
        LongReplies replies = new LongReplies();
        sim.server().respondWith(FakeProviderServer.MESSAGES, request -> replies.lengthen(request, sim.answerMessages(request), meanTokens, spread));
        return replies;
    }

    public List<Call> calls() { return List.copyOf(calls); }

    private ScriptedResponse lengthen(RecordedRequest request, ScriptedResponse reply, int mean, int spread) {
        if (reply.status() != 200) return reply;
        ObjectNode message = (ObjectNode) JSON.readTree(reply.body());
        long maxTokens = request.json().path("max_tokens").asLong();
        JsonNode use = message.path("content").path(0);
        if (!"tool_use".equals(use.path("type").asString(""))) {
            calls.add(new Call(System.nanoTime(), message.path("usage").path("output_tokens").asLong(), maxTokens, true));
            return reply;
        }
        ObjectNode input = (ObjectNode) use.path("input");
        String unit = request.json().path("messages").toString();
        int target = mean - spread + Math.floorMod(unit.hashCode(), 2 * spread + 1);
        ArrayNode turns = (ArrayNode) input.path("turns");
        int i = 0;
        while (input.toString().length() < target * 4L && !turns.isEmpty()) {
            ObjectNode turn = (ObjectNode) turns.get((2 * i + 1) % turns.size());
            if ("assistant".equals(turn.path("role").asString())) turn.put("content", turn.path("content").asString() + MORE.get(i % MORE.size()));
            i++;
            if (i > 10_000) break;
        }
        long outputTokens = PromptCacheModel.tokens(input.toString().length());
        ObjectNode usage = (ObjectNode) message.path("usage");
        if (outputTokens > maxTokens) {
            message.putArray("content").addObject().put("type", "text").put("text", input.toString().substring(0, (int) Math.min(input.toString().length(), maxTokens * 4)));
            message.put("stop_reason", "max_tokens");
            usage.put("output_tokens", maxTokens);
            calls.add(new Call(System.nanoTime(), maxTokens, maxTokens, true));
        } else {
            usage.put("output_tokens", outputTokens);
            calls.add(new Call(System.nanoTime(), outputTokens, maxTokens, false));
        }
        return new ScriptedResponse(reply.status(), reply.headers(), message.toString(), reply.delay(), reply.delivery(), reply.chunkPause());
    }
}

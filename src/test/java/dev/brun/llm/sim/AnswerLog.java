package dev.brun.llm.sim;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a simulator's {@code /v1/messages} responder put on the wire, one entry per answered request, read
 * back from the reply body itself. Rate-limit 429s and fault 529s never reach the responder, so they are
 * not here: this is the server's side of every call a client could be billed for.
 */
public final class AnswerLog {
    /** One reply as the server sent it: the unit it was for (named in the request's instruction) and its usage. */
    public record Answer(String unitKey, int status, String model, String stopReason, long inputTokens, long outputTokens,
                         long cacheReadTokens, long cacheWriteTokens) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern UNIT_KEY = Pattern.compile("for unit (\\S+) now");

    private final List<Answer> answers = new CopyOnWriteArrayList<>();

    private AnswerLog() {}

    /** Installs a recording responder in front of the simulator's own messages responder. */
    public static AnswerLog recording(SimulatedProvider sim) {
        AnswerLog log = new AnswerLog();
        sim.server().respondWith(FakeProviderServer.MESSAGES, request -> {
            ScriptedResponse reply = sim.answerMessages(request);
            log.answers.add(read(request, reply));
            return reply;
        });
        return log;
    }

    public List<Answer> answers() { return List.copyOf(answers); }

    private static Answer read(RecordedRequest request, ScriptedResponse reply) {
        StringBuilder instruction = new StringBuilder();
        for (JsonNode m : request.json().path("messages")) instruction.append(m.path("content").asString("")).append('\n');
        Matcher key = UNIT_KEY.matcher(instruction);
        String unitKey = key.find() ? key.group(1) : "";
        JsonNode body = JSON.readTree(reply.body());
        JsonNode usage = body.path("usage");
        return new Answer(unitKey, reply.status(), body.path("model").asString(""), body.path("stop_reason").asString(""),
                usage.path("input_tokens").asLong(), usage.path("output_tokens").asLong(),
                usage.path("cache_read_input_tokens").asLong(), usage.path("cache_creation_input_tokens").asLong());
    }
}

package dev.brun.run;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;
import dev.brun.prompt.UnitSpec;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks one submitted conversation against the contract before anything is stored: schema, alternation
 * (user first, assistant last), exchange count inside the arc's range, non-empty turns, emotions on user
 * turns, and assistant phases that belong to this unit's arc. Nothing half-valid becomes a conversation.
 */
public final class ReplyParser {
    private static final Set<String> VALENCES = Set.of("positive", "negative", "mixed");

    public ReplyVerdict parse(JsonNode input, UnitSpec unit, String provider, String model) {
        if (input == null || !input.isObject()) return invalid("schema", "the reply is not a JSON object");
        String context = text(input, "session_context");
        String outcome = text(input, "expected_outcome");
        if (context == null) return invalid("schema", "session_context is missing or not a non-empty string");
        if (outcome == null) return invalid("schema", "expected_outcome is missing or not a non-empty string");
        JsonNode turnsNode = input.get("turns");
        if (turnsNode == null || !turnsNode.isArray()) return invalid("schema", "turns is missing or not an array");
        int n = turnsNode.size();
        if (n == 0) return invalid("empty_turn", "turns is empty");
        Set<String> stages = new HashSet<>(unit.arc().stageKeys());
        List<Turn> turns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JsonNode t = turnsNode.get(i);
            String where = "turns[" + i + "]";
            if (!t.isObject()) return invalid("schema", where + " is not an object");
            String role = t.path("role").isString() ? t.path("role").asString() : null;
            String expected = i % 2 == 0 ? "user" : "assistant";
            if (!"user".equals(role) && !"assistant".equals(role))
                return invalid("schema", where + ".role is '" + role + "', expected user or assistant");
            if (!expected.equals(role))
                return invalid("alternation", where + " is " + role + " but turns must alternate starting with the user");
            JsonNode contentNode = t.get("content");
            if (contentNode == null || !contentNode.isString()) return invalid("schema", where + ".content is missing or not a string");
            String content = contentNode.asString().strip();
            if (content.isEmpty()) return invalid("empty_turn", where + " (" + role + ") has empty content");
            if (role.equals("user")) {
                JsonNode e = t.get("emotion");
                if (e == null || !e.isObject()) return invalid("schema", where + ".emotion is required on user turns");
                String primary = text(e, "primary");
                String secondary = text(e, "secondary");
                if (primary == null) return invalid("schema", where + ".emotion.primary is missing");
                Double intensity = unitInterval(e, "intensity");
                Double confidence = unitInterval(e, "confidence");
                if (intensity == null) return invalid("schema", where + ".emotion.intensity must be a number from 0 to 1");
                if (confidence == null) return invalid("schema", where + ".emotion.confidence must be a number from 0 to 1");
                String valence = text(e, "valence");
                if (valence == null || !VALENCES.contains(valence))
                    return invalid("schema", where + ".emotion.valence must be positive, negative or mixed");
                turns.add(Turn.user(i, content, new Emotion(primary, secondary == null ? "" : secondary,
                        intensity, confidence, Valence.fromWire(valence))));
            } else {
                String phase = text(t, "phase");
                if (phase == null) return invalid("schema", where + ".phase is required on assistant turns");
                if (!stages.contains(phase))
                    return invalid("bad_phase", where + ".phase '" + phase + "' is not a stage of arc " + unit.arc().key()
                            + " " + unit.arc().stageKeys());
                String objective = text(t, "learning_objective");
                if (objective == null) return invalid("schema", where + ".learning_objective is required on assistant turns");
                JsonNode skillsNode = t.get("skills");
                if (skillsNode == null || !skillsNode.isArray() || skillsNode.isEmpty())
                    return invalid("schema", where + ".skills must be a non-empty array of strings");
                List<String> skills = new ArrayList<>();
                for (JsonNode s : skillsNode) {
                    if (!s.isString() || s.asString().isBlank()) return invalid("schema", where + ".skills holds a non-string or empty entry");
                    skills.add(s.asString().strip());
                }
                turns.add(Turn.assistant(i, content, phase, objective, skills));
            }
        }
        if (n % 2 != 0) return invalid("alternation", "the conversation ends with the user; it must end with the assistant");
        int exchanges = n / 2;
        if (exchanges < unit.arc().minExchanges() || exchanges > unit.arc().maxExchanges())
            return invalid("turn_count", exchanges + " exchanges, arc " + unit.arc().key() + " allows "
                    + unit.arc().minExchanges() + "-" + unit.arc().maxExchanges());
        Scaffolding scaffolding = new Scaffolding(unit.persona().key(), unit.arc().key(), unit.topic().key(),
                unit.variationIndex(), unit.phase().wire());
        return new ReplyVerdict.Valid(new Conversation(conversationId(unit.unitKey()), unit.unitKey(), scaffolding,
                context, outcome, turns, Source.GENERATED, provider, model));
    }

    /** Conversation ids derive from unit keys, so the same unit can never be stored under two ids. */
    public static String conversationId(String unitKey) { return "conv-" + unitKey; }

    private static ReplyVerdict invalid(String reason, String detail) { return new ReplyVerdict.Invalid(reason, detail); }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) return null;
        String s = v.asString().strip();
        return s.isEmpty() ? null : s;
    }

    private static Double unitInterval(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) return null;
        double d = v.asDouble();
        return d < 0 || d > 1 || Double.isNaN(d) ? null : d;
    }
}

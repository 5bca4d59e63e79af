package dev.brun.run;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;
import dev.brun.pack.Arc;
import dev.brun.pack.ArcStage;
import dev.brun.pack.Pack;
import dev.brun.prompt.UnitSpec;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one submitted conversation into a stored one. The tool schema is one for the whole pack (it starts the
 * cached prefix), so a reply can satisfy the schema and still miss the unit's prose contract: a stage key of
 * another arc, an exchange too many, a missing emotion. Every such reply is paid for, so what still makes a
 * usable conversation is repaired deterministically and kept, with each repair named (the engine stores them
 * as a warning flag); only a reply that cannot be training data (no JSON object, no turns, no user message
 * answered by the consultant) is discarded. Exchange counts outside the arc's range are kept as they are: the
 * quality checks flag them (a warning for one exchange off, an error beyond).
 */
public final class ReplyParser {
    private static final Set<String> VALENCES = Set.of("positive", "negative", "mixed");

    /** For each stage key of the pack, its position in the first arc that has it. */
    private final Map<String, Integer> stagePosition = new HashMap<>();

    public ReplyParser(Pack pack) {
        for (Arc arc : pack.arcs()) {
            List<String> keys = arc.stageKeys();
            for (int i = 0; i < keys.size(); i++) stagePosition.putIfAbsent(keys.get(i), i);
        }
    }

    /** A turn as submitted, once its role and content are known to be usable. */
    private record Raw(int at, boolean user, String content, JsonNode node) {}

    public ReplyVerdict parse(JsonNode input, UnitSpec unit, String provider, String model) {
        if (input == null || !input.isObject()) return invalid("schema", "the reply is not a JSON object");
        JsonNode turnsNode = input.get("turns");
        if (turnsNode == null || !turnsNode.isArray()) return invalid("schema", "turns is missing or not an array");
        List<String> repairs = new ArrayList<>();
        List<Raw> raw = usableTurns(turnsNode, repairs);
        raw = alternate(raw, repairs);
        if (raw.isEmpty())
            return invalid("no_exchange", "no user message answered by the consultant among " + turnsNode.size() + " submitted turns");

        String context = text(input, "session_context");
        if (context == null) {
            context = unit.persona().name() + " asks about " + unit.topic().name() + ".";
            repairs.add("session_context was missing; written from the persona and topic");
        }
        String outcome = text(input, "expected_outcome");
        if (outcome == null) {
            outcome = unit.arc().name() + ": " + unit.arc().stages().getLast().description();
            repairs.add("expected_outcome was missing; written from the arc's last stage");
        }

        Arc arc = unit.arc();
        int exchanges = raw.size() / 2;
        List<Turn> turns = new ArrayList<>(raw.size());
        Emotion lastEmotion = null;
        for (int i = 0; i < raw.size(); i++) {
            Raw r = raw.get(i);
            String where = "turns[" + r.at() + "]";
            if (r.user()) {
                Emotion e = emotion(r.node().get("emotion"), lastEmotion, where, repairs);
                lastEmotion = e;
                turns.add(Turn.user(i, r.content(), e));
            } else {
                ArcStage stage = stage(r.node(), arc, i / 2, exchanges, where, repairs);
                String objective = text(r.node(), "learning_objective");
                if (objective == null) {
                    objective = stage.description();
                    repairs.add(where + ".learning_objective was missing; the stage's description stands in");
                }
                turns.add(Turn.assistant(i, r.content(), stage.key(), objective, skills(r.node().get("skills"), where, repairs)));
            }
        }
        if (exchanges < arc.minExchanges() || exchanges > arc.maxExchanges())
            repairs.add(exchanges + " exchanges, arc " + arc.key() + " asks for " + arc.minExchanges() + "-" + arc.maxExchanges() + "; kept as submitted");
        Scaffolding scaffolding = new Scaffolding(unit.persona().key(), arc.key(), unit.topic().key(),
                unit.variationIndex(), unit.phase().wire());
        return new ReplyVerdict.Valid(new Conversation(conversationId(unit.unitKey()), unit.unitKey(), scaffolding,
                context, outcome, turns, Source.GENERATED, provider, model), repairs);
    }

    /** Conversation ids derive from unit keys, so the same unit can never be stored under two ids. */
    public static String conversationId(String unitKey) { return "conv-" + unitKey; }

    /** Turns with a known role and non-blank content; the others are dropped and named. */
    private static List<Raw> usableTurns(JsonNode turnsNode, List<String> repairs) {
        List<Raw> raw = new ArrayList<>();
        for (int i = 0; i < turnsNode.size(); i++) {
            JsonNode t = turnsNode.get(i);
            String where = "turns[" + i + "]";
            String role = t.isObject() && t.path("role").isString() ? t.path("role").asString() : null;
            if (!"user".equals(role) && !"assistant".equals(role)) {
                repairs.add(where + " had no user or assistant role; dropped");
                continue;
            }
            String content = t.get("content") != null && t.get("content").isString() ? t.get("content").asString().strip() : "";
            if (content.isEmpty()) {
                repairs.add(where + " (" + role + ") was empty; dropped");
                continue;
            }
            raw.add(new Raw(i, role.equals("user"), content, t));
        }
        return raw;
    }

    /**
     * Restores alternation: consecutive turns of one role are joined (the first one's metadata kept), assistant
     * turns before the first user message and a user message left unanswered at the end are dropped.
     */
    private static List<Raw> alternate(List<Raw> in, List<String> repairs) {
        List<Raw> out = new ArrayList<>();
        for (Raw r : in) {
            if (out.isEmpty() && !r.user()) {
                repairs.add("turns[" + r.at() + "] (assistant) came before any user message; dropped");
                continue;
            }
            if (!out.isEmpty() && out.getLast().user() == r.user()) {
                Raw prev = out.removeLast();
                out.add(new Raw(prev.at(), prev.user(), prev.content() + "\n\n" + r.content(), prev.node()));
                repairs.add("turns[" + r.at() + "] repeated the " + (r.user() ? "user" : "assistant") + " role; joined to turns[" + prev.at() + "]");
                continue;
            }
            out.add(r);
        }
        if (!out.isEmpty() && out.getLast().user()) {
            repairs.add("turns[" + out.getLast().at() + "] (user) was left unanswered at the end; dropped");
            out.removeLast();
        }
        return out;
    }

    private static Emotion emotion(JsonNode e, Emotion previous, String where, List<String> repairs) {
        if (e == null || !e.isObject()) {
            repairs.add(where + ".emotion was missing; " + (previous == null ? "a neutral one" : "the previous user turn's") + " stands in");
            return previous != null ? previous : new Emotion("neutral", "", 0.5, 0.5, Valence.MIXED);
        }
        String primary = text(e, "primary");
        if (primary == null) {
            primary = previous != null ? previous.primary() : "neutral";
            repairs.add(where + ".emotion.primary was missing; '" + primary + "' stands in");
        }
        String secondary = text(e, "secondary");
        double intensity = unitInterval(e, "intensity", where, repairs);
        double confidence = unitInterval(e, "confidence", where, repairs);
        String valence = text(e, "valence");
        if (valence == null || !VALENCES.contains(valence)) {
            repairs.add(where + ".emotion.valence '" + valence + "' is not positive, negative or mixed; mixed stands in");
            valence = "mixed";
        }
        return new Emotion(primary, secondary == null ? "" : secondary, intensity, confidence, Valence.fromWire(valence));
    }

    /**
     * The unit's stage for an assistant turn: its own phase when it is a stage of the arc; a stage key of another
     * arc becomes the unit's stage at the same position (the last one when the arc is shorter); a missing or
     * unknown phase takes the stage the turn's place in the conversation points to.
     */
    private ArcStage stage(JsonNode t, Arc arc, int exchange, int exchanges, String where, List<String> repairs) {
        List<ArcStage> stages = arc.stages();
        String phase = text(t, "phase");
        for (ArcStage s : stages) if (s.key().equals(phase)) return s;
        Integer position = phase == null ? null : stagePosition.get(phase);
        ArcStage chosen;
        if (position != null) {
            chosen = stages.get(Math.min(position, stages.size() - 1));
            repairs.add(where + ".phase '" + phase + "' is a stage of another arc; became '" + chosen.key() + "' at the same position");
        } else {
            chosen = stages.get(Math.min(stages.size() - 1, exchange * stages.size() / Math.max(1, exchanges)));
            repairs.add(where + ".phase " + (phase == null ? "was missing" : "'" + phase + "' is no stage of the pack")
                    + "; became '" + chosen.key() + "' from the turn's place in the conversation");
        }
        return chosen;
    }

    private static List<String> skills(JsonNode node, String where, List<String> repairs) {
        List<String> skills = new ArrayList<>();
        if (node != null && node.isArray())
            for (JsonNode s : node) if (s.isString() && !s.asString().isBlank()) skills.add(s.asString().strip());
        if (skills.isEmpty()) repairs.add(where + ".skills listed no skill; left empty");
        else if (skills.size() != node.size()) repairs.add(where + ".skills held empty or non-string entries; dropped");
        return skills;
    }

    private static ReplyVerdict invalid(String reason, String detail) { return new ReplyVerdict.Invalid(reason, detail); }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) return null;
        String s = v.asString().strip();
        return s.isEmpty() ? null : s;
    }

    private static double unitInterval(JsonNode node, String field, String where, List<String> repairs) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber() || Double.isNaN(v.asDouble())) {
            repairs.add(where + ".emotion." + field + " was missing; 0.5 stands in");
            return 0.5;
        }
        double d = v.asDouble();
        if (d < 0 || d > 1) {
            double c = Math.max(0, Math.min(1, d));
            repairs.add(where + ".emotion." + field + " " + d + " was outside 0-1; clamped to " + c);
            return c;
        }
        return d;
    }
}

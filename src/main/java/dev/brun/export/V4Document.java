package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Turn;
import dev.brun.pack.Arc;
import dev.brun.pack.Consultant;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;
import dev.brun.pack.Principle;
import dev.brun.pack.Topic;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps conversations to the brightrun-lora-v4 structure: one training pair per assistant reply, whose history is
 * exactly the turns before the user message it answers. Shared by the v4 JSON and v4 JSONL writers, so both
 * carry the same pairs.
 */
final class V4Document {
    static final String FORMAT_SPEC = "brightrun-lora-v4";
    static final String VERSION = "4.0.0";

    private final Pack pack;
    private final ExportSettings settings;
    private final LocalDate exportDate;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    /** @param exportDate the created_date of a conversation whose generation date is not known */
    V4Document(Pack pack, ExportSettings settings, LocalDate exportDate) {
        this.pack = pack;
        this.settings = settings;
        this.exportDate = exportDate;
    }

    /** The vertical as the schema spells it: the consultant's vertical, e.g. financial_planning_consultant. */
    static String vertical(Pack pack) {
        String v = pack.consultant().vertical();
        return v == null || v.isBlank() ? pack.name() : v;
    }

    ObjectNode consultantProfile() {
        Consultant c = pack.consultant();
        ObjectNode p = nodes.objectNode();
        p.put("name", c.displayName());
        p.put("business", c.business());
        p.put("expertise", String.join(", ", c.expertise()));
        p.put("years_experience", c.yearsExperience());
        ObjectNode philosophy = p.putObject("core_philosophy");
        List<Principle> principles = c.principles();
        for (int i = 0; i < principles.size(); i++) {
            Principle pr = principles.get(i);
            philosophy.put("principle_" + (i + 1), pr.name() + " - " + pr.description());
        }
        ObjectNode style = p.putObject("communication_style");
        style.put("tone", String.join(", ", c.tone()));
        ArrayNode techniques = style.putArray("techniques");
        c.techniques().forEach(techniques::add);
        ArrayNode avoid = style.putArray("avoid");
        c.avoid().forEach(avoid::add);
        return p;
    }

    static String qualityTier(ExportItem item) {
        if (item.review().status() == ReviewStatus.REJECTED) return "rejected";
        if (item.review().seed()) return "seed_dataset";
        if (item.review().status() == ReviewStatus.APPROVED || item.review().status() == ReviewStatus.ACCEPTED) return "production";
        return "experimental";
    }

    /** Only what a person read: a conversation certified by its stratum's sample (accepted) was not. */
    static boolean humanReviewed(ExportItem item) { return item.review().status() == ReviewStatus.APPROVED; }

    /** {conversation_metadata, training_pairs} for one conversation. */
    ObjectNode conversation(ExportItem item, Split split) {
        Conversation c = item.conversation();
        Scaffolding s = c.scaffolding();
        ObjectNode out = nodes.objectNode();
        ObjectNode meta = out.putObject("conversation_metadata");
        meta.put("conversation_id", conversationUuid(c));
        meta.put("brun_conversation_id", c.id());
        meta.put("source_file", "brun/" + (c.unitKey() == null ? c.id() : c.unitKey()));
        // The format's created_date is "when the conversation was generated", not when it was exported.
        meta.put("created_date", (item.generatedOn() == null ? exportDate : item.generatedOn()).toString());
        meta.put("total_turns", c.turns().size());
        meta.put("quality_tier", qualityTier(item));
        ObjectNode scaffolding = meta.putObject("scaffolding");
        scaffolding.put("persona_key", s.personaKey());
        scaffolding.put("persona_name", personaName(s.personaKey()));
        scaffolding.put("emotional_arc_key", s.arcKey());
        scaffolding.put("emotional_arc", arcName(s.arcKey()));
        scaffolding.put("training_topic_key", s.topicKey());
        scaffolding.put("training_topic", topicName(s.topicKey()));
        scaffolding.put("variation_index", s.variationIndex());
        if (s.phase() != null) scaffolding.put("generation_phase", s.phase());
        meta.put("source", c.source() == null ? "generated" : c.source().wire());
        if (c.provider() != null) meta.put("provider", c.provider());
        if (c.model() != null) meta.put("model", c.model());
        meta.put("split", split.wire());
        ArrayNode pairs = out.putArray("training_pairs");
        pairs(item).forEach(pairs::add);
        return out;
    }

    /** One self-contained pair per assistant reply, in conversation order. */
    List<ObjectNode> pairs(ExportItem item) {
        Conversation c = item.conversation();
        List<Turn> turns = c.turns();
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 1; i < turns.size(); i++) {
            Turn reply = turns.get(i);
            if (!reply.isAssistant()) continue;
            Turn input = turns.get(i - 1);
            out.add(pair(item, turns.subList(0, i - 1), input, reply));
        }
        return out;
    }

    private ObjectNode pair(ExportItem item, List<Turn> history, Turn input, Turn reply) {
        Conversation c = item.conversation();
        Scaffolding s = c.scaffolding();
        int turnNumber = reply.index() + 1;
        ObjectNode p = nodes.objectNode();
        p.put("id", c.id() + "_turn" + turnNumber);
        p.put("conversation_id", conversationUuid(c));
        p.put("brun_conversation_id", c.id());
        p.put("turn_number", turnNumber);
        ObjectNode meta = p.putObject("conversation_metadata");
        meta.put("client_persona", clientPersona(s.personaKey()));
        meta.put("persona_archetype", archetype(s.personaKey()));
        meta.put("client_background", clientBackground(s.personaKey()));
        meta.put("emotional_arc", arcName(s.arcKey()));
        meta.put("emotional_arc_key", s.arcKey());
        meta.put("training_topic", topicName(s.topicKey()));
        meta.put("training_topic_key", s.topicKey());
        meta.put("session_context", nullToEmpty(c.sessionContext()));
        meta.put("conversation_phase", reply.phase() == null ? firstStage(s.arcKey()) : reply.phase());
        meta.put("expected_outcome", nullToEmpty(c.expectedOutcome()));
        // Beyond the published fields, so that a JSONL line alone is enough to rebuild the conversation.
        meta.put("variation_index", s.variationIndex());
        if (s.phase() != null) meta.put("generation_phase", s.phase());
        if (c.provider() != null) meta.put("provider", c.provider());
        if (c.model() != null) meta.put("model", c.model());
        p.put("system_prompt", settings.systemPromptFor(item));
        ArrayNode h = p.putArray("conversation_history");
        for (Turn t : history) {
            ObjectNode ht = h.addObject();
            ht.put("turn", t.index() + 1);
            ht.put("role", t.role().wire());
            ht.put("content", t.content());
            // An emotional state only where one was recorded: the client's turns, and a consultant reply whose imported
            // file gave it one; brun records none for the replies it generates, and a copy of the client's would be invented.
            if (t.emotion() != null) ht.set("emotional_state", emotionalState(t.emotion()));
        }
        p.put("current_user_input", input.content());
        ObjectNode detected = p.putObject("emotional_context").putObject("detected_emotions");
        Emotion e = input.emotion();
        detected.put("primary", e.primary());
        detected.put("primary_confidence", e.confidence());
        if (e.secondary() != null) detected.put("secondary", e.secondary());
        detected.put("intensity", e.intensity());
        detected.put("valence", e.valence().wire());
        p.put("target_response", reply.content());
        // The format has no place for the reply's own emotional state; a recorded one travels here so a re-import keeps it.
        if (reply.emotion() != null) p.set("brun_target_emotional_state", emotionalState(reply.emotion()));
        ObjectNode tm = p.putObject("training_metadata");
        tm.put("difficulty_level", difficulty(s.topicKey(), turnNumber));
        tm.put("key_learning_objective", nullToEmpty(reply.learningObjective()));
        ArrayNode skills = tm.putArray("demonstrates_skills");
        reply.skills().forEach(skills::add);
        tm.put("conversation_turn", turnNumber);
        tm.put("emotional_progression_target", progressionTarget(s.arcKey()));
        Scores sc = item.scores();
        tm.put("quality_score", twoDecimals(sc.overall()));
        ObjectNode criteria = tm.putObject("quality_criteria");
        criteria.put("empathy_score", sc.empathy());
        criteria.put("clarity_score", sc.clarity());
        criteria.put("appropriateness_score", sc.appropriateness());
        criteria.put("brand_voice_alignment", sc.brandVoice());
        tm.put("quality_method", sc.method());
        tm.put("human_reviewed", humanReviewed(item));
        if (item.review().notes() == null) tm.putNull("reviewer_notes");
        else tm.put("reviewer_notes", item.review().notes());
        tm.put("use_as_seed_example", item.review().seed());
        tm.put("generate_variations_count", 0);
        return p;
    }

    private ObjectNode emotionalState(Emotion e) {
        ObjectNode st = nodes.objectNode();
        if (e == null) return st;
        st.put("primary", e.primary());
        if (e.secondary() != null) st.put("secondary", e.secondary());
        st.put("intensity", e.intensity());
        return st;
    }

    private static String nullToEmpty(String s) { return s == null ? "" : s; }

    /** A baseline is often one word ("overwhelmed"): said as what it is, not appended after the last sentence. */
    private static String baseline(String b) {
        return b == null || b.isBlank() ? "" : " Emotional baseline: " + b.strip() + (".!?".indexOf(b.strip().charAt(b.strip().length() - 1)) >= 0 ? "" : ".");
    }

    /** The format's persona_archetype is the archetype; the pack's key goes in scaffolding.persona_key. */
    String archetype(String key) {
        return pack.persona(key).map(V4Document::archetype).orElse(key);
    }

    /** A persona's archetype when it is written as a key (anxious_planner), else its key: a prose label is no enum value. */
    static String archetype(Persona p) {
        String a = p.archetype();
        return a != null && a.matches("[a-z][a-z0-9_]*") ? a : p.key();
    }

    static double twoDecimals(double x) { return Math.round(x * 100) / 100.0; }

    /** The format's conversation_id is a UUID: a name-based v5 UUID of the unit key, stable across exports. */
    static String conversationUuid(Conversation c) {
        return uuidV5("https://brun.dev/units/" + (c.unitKey() == null ? c.id() : c.unitKey())).toString();
    }

    /** RFC 9562 version 5 (SHA-1) UUID of a name in brun's own namespace. */
    static java.util.UUID uuidV5(String name) {
        try {
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            java.nio.ByteBuffer ns = java.nio.ByteBuffer.allocate(16);
            ns.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
            sha1.update(ns.array());
            byte[] h = sha1.digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h, 0, 16);
            return new java.util.UUID(b.getLong(), b.getLong());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /** RFC 9562's URL namespace (the names are URLs); fixed, so ids never change between brun versions. */
    private static final java.util.UUID NAMESPACE = java.util.UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    String personaName(String key) {
        return pack.persona(key).map(Persona::name).orElse(key);
    }

    String clientPersona(String key) {
        return pack.persona(key).map(p -> p.archetype() == null || p.archetype().isBlank() ? p.name() : p.name() + " - " + p.archetype()).orElse(key);
    }

    String clientBackground(String key) {
        return pack.persona(key).map(p -> "Age " + p.age() + ", " + p.gender() + ", " + p.location() + ", " + p.family()
                + "; " + p.occupation() + ", income " + p.incomeRange() + ". " + nullToEmpty(p.financialSituation())
                + baseline(p.emotionalBaseline())).map(String::strip).orElse("");
    }

    String arcName(String key) { return pack.arc(key).map(Arc::name).orElse(key); }

    String topicName(String key) { return pack.topic(key).map(Topic::name).orElse(key); }

    private String firstStage(String arcKey) {
        return pack.arc(arcKey).filter(a -> !a.stages().isEmpty()).map(a -> a.stages().getFirst().key()).orElse("unknown");
    }

    private String difficulty(String topicKey, int turn) {
        String complexity = pack.topic(topicKey).map(Topic::complexity).filter(x -> x != null && !x.isBlank()).orElse("intermediate");
        return complexity + "_conversation_turn_" + turn;
    }

    private String progressionTarget(String arcKey) {
        return pack.arc(arcKey).map(a -> a.startEmotion() + "(" + a.startIntensity() + ") → " + a.endEmotion() + "(" + a.endIntensity() + ")")
                .orElse("");
    }
}

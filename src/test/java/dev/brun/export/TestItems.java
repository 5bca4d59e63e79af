package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Generation;
import dev.brun.conversation.Review;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Generated-looking conversations over the test pack's keys. */
final class TestItems {
    static final List<String> PERSONAS = List.of("anxious_planner", "overwhelmed_avoider", "pragmatic_optimist");
    static final List<String> ARCS = List.of("confusion_to_clarity", "couple_conflict_to_alignment", "shame_to_acceptance");
    static final List<String> TOPICS = List.of("long_term_care", "negotiating_compensation", "mortgage_payoff_strategy", "emergency_fund");
    private static final List<String> STAGES = List.of("initial_opportunity_exploration", "couple_conflict_to_alignment", "couple_conflict_resolution");

    private TestItems() {}

    /** Every persona x arc x topic combination with the given number of variations (36 combinations). */
    static List<ExportItem> grid(int variations) {
        List<ExportItem> items = new ArrayList<>();
        for (String p : PERSONAS)
            for (String a : ARCS)
                for (String t : TOPICS)
                    for (int v = 0; v < variations; v++) items.add(item(p, a, t, v, 2 + (v % 2), "generated"));
        return items;
    }

    static ExportItem item(String persona, String arc, String topic, int variation, int exchanges, String provider) {
        String id = persona + "-" + arc + "-" + topic + "-" + variation;
        List<Turn> turns = new ArrayList<>();
        for (int e = 0; e < exchanges; e++) {
            turns.add(Turn.user(turns.size(), "Question " + e + " about " + topic + " from " + persona + " on " + arc + "?",
                    new Emotion(e == 0 ? "confusion" : "hope", "worry", 0.7 - e * 0.1, 0.8, e == 0 ? Valence.NEGATIVE : Valence.MIXED)));
            turns.add(Turn.assistant(turns.size(), "Reply " + e + ": let's take " + topic + " one step at a time.",
                    STAGES.get(Math.min(e, STAGES.size() - 1)), "validate_then_explain_" + topic, List.of("validation", "plain_language")));
        }
        Conversation c = new Conversation(id, "unit-" + id, new Scaffolding(persona, arc, topic, variation, "seed"),
                persona + " asks about " + topic, "clarity about " + topic, turns, Source.GENERATED, provider, "claude-sonnet-4-5");
        Generation g = new Generation(provider, "claude-sonnet-4-5", 0.7, 1000, 800, 0, 0, 0.015, 1200, "end_turn", 1, "req-" + id);
        Scores s = new Scores(4.0 + variation % 2 * 0.5, 4.0, 4.5, 4.0, 4.0 + variation % 2 * 0.5, "judge:claude-haiku-4-5", Map.of());
        Review r = variation == 0 ? new Review(ReviewStatus.APPROVED, true, "good seed", "ana", null) : Review.pending();
        return new ExportItem(c, g, s, List.of(), r);
    }
}

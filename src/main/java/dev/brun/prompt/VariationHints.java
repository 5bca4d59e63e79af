package dev.brun.prompt;

import java.util.List;

/**
 * Angles that make variations of one combination really differ. The hint is picked by variation index
 * (and a hash of the combination, so that variation 0 of different combinations do not all open alike).
 */
public final class VariationHints {
    private static final List<String> HINTS = List.of(
            "The client opens with a concrete event from the past week that forced the topic on them.",
            "The client opens with a specific number they are worried about and asks what it means.",
            "The client starts hesitantly, talking around the real question for a message before naming it.",
            "The client has already read conflicting advice online and opens by quoting one piece of it.",
            "The client opens with a question about what other people in their situation usually do.",
            "The client mentions a family member's reaction early, and it colours the whole conversation.",
            "The client is short on time and asks for the one thing to do first; the consultant slows them down gently.",
            "The client opens with a deadline (an enrolment window, a renewal date, an offer expiring).",
            "The client pushes back once on the consultant's first suggestion before coming round.",
            "The client uses a metaphor of their own for how the money situation feels.",
            "The client brings a document (a statement, an offer letter, a benefits summary) and asks about one line of it.",
            "The client starts with a small practical question and the bigger worry only surfaces midway.");

    private VariationHints() {}

    public static String hintFor(String combination, int variationIndex) {
        int offset = Math.floorMod(combination.hashCode(), HINTS.size());
        return HINTS.get(Math.floorMod(offset + variationIndex * 5, HINTS.size()));
    }

    public static int count() { return HINTS.size(); }
}

package dev.brun.conversation;

import java.util.List;
import java.util.Map;

/**
 * Rubric scores, 1-5 each, with an overall score and the reasons behind each dimension.
 * method is "heuristic" or "judge:&lt;model&gt;".
 */
public record Scores(double empathy, double clarity, double appropriateness, double brandVoice, double overall,
                     String method, Map<String, List<String>> reasons) {
    public Scores {
        reasons = reasons == null ? Map.of() : Map.copyOf(reasons);
    }
}

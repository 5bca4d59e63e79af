package dev.brun.pack;

import java.util.List;
import java.util.Map;

/** Small packs built in code, for tests that need exact control over the matrix. */
public final class TinyPacks {
    private TinyPacks() {}

    public static Pack of(int personas, int arcs, int topics, List<Exclusion> exclusions) {
        Consultant c = new Consultant("Ada Park", "CFP", "Park Planning", "financial_planning_consultant",
                List.of("retirement"), 10,
                List.of(new Principle("feelings_first", "Feelings before facts", "Acknowledge the feeling first.")),
                List.of("warm"), List.of("ask permission"), List.of("jargon"));
        List<Persona> ps = new java.util.ArrayList<>();
        for (int i = 0; i < personas; i++)
            ps.add(new Persona("p" + i, "Person " + i, "archetype" + i, 30 + i, "female", "Austin, TX", "single",
                    "nurse", 50_000, 70_000, "steady", "calm", "direct", List.of("honestly"), List.of("save")));
        List<Arc> as = new java.util.ArrayList<>();
        for (int i = 0; i < arcs; i++)
            as.add(new Arc("a" + i, "Arc " + i, "worry", 0.8, List.of("fear"), "calm", 0.6, List.of("relief"),
                    List.of(new ArcStage("open", "Open", "The client opens."), new ArcStage("close", "Close", "Wrap up.")),
                    3, 5, ArcCategory.CORE, "steady", List.of(), List.of()));
        List<Topic> ts = new java.util.ArrayList<>();
        for (int i = 0; i < topics; i++)
            ts.add(new Topic("t" + i, "Topic " + i, "cash_flow", "About topic " + i, "beginner", List.of("budget")));
        Rules rules = new Rules(exclusions, new Minimums(1, 1, 1), Map.of(
                Phase.SEED, new PhaseDefaults("claude-sonnet-4-5", 0.75, 1, 12),
                Phase.EXPANSION, new PhaseDefaults("claude-haiku-4-5", 0.95, 5, 12),
                Phase.EDGE, new PhaseDefaults("claude-sonnet-4-5", 0.8, 1, 12)));
        return new Pack("tiny", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", c, ps, as, ts, rules);
    }
}

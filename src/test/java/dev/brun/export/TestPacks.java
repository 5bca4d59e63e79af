package dev.brun.export;

import dev.brun.pack.Arc;
import dev.brun.pack.ArcCategory;
import dev.brun.pack.ArcStage;
import dev.brun.pack.Consultant;
import dev.brun.pack.Minimums;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;
import dev.brun.pack.Phase;
import dev.brun.pack.PhaseDefaults;
import dev.brun.pack.Principle;
import dev.brun.pack.Rules;
import dev.brun.pack.Topic;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A financial-planning pack built in code, with the keys the reference files use. */
final class TestPacks {
    /** The platform's reference files: -Dbrun.reference, else ../shared/reference (from the main checkout), else /work/shared. */
    static final Path REFERENCE = java.util.stream.Stream.of(System.getProperty("brun.reference"), "../shared/reference",
                    "../../shared/reference", "/work/shared/reference")
            .filter(java.util.Objects::nonNull).map(Path::of).filter(java.nio.file.Files::isDirectory).findFirst()
            .orElseThrow(() -> new IllegalStateException("reference files not found; run with -Dbrun.reference=<path to shared/reference>"));
    static final String SYSTEM_PROMPT = "You are Elena Morales, CFP, of Pathways Financial Planning. Acknowledge feelings before facts, "
            + "keep a judgment-free space, teach the why before the what, use specific numbers and celebrate progress.";

    /** An arc whose stages are the phases the reference seed conversations use, so those seeds fit this pack. */
    static final String SEED_ARC = "seed_journey";

    private TestPacks() {}

    private static List<ArcStage> seedStages() {
        java.util.Set<String> phases = new java.util.LinkedHashSet<>();
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        for (int i = 1; i <= 6; i++)
            for (var pair : json.readTree(REFERENCE.resolve("seed-conversations/convo-0" + i + ".json").toFile()).get("training_pairs"))
                phases.add(pair.at("/conversation_metadata/conversation_phase").asString());
        return phases.stream().map(p -> new ArcStage(p, p, "from the seed files")).toList();
    }

    static Pack financialPlanning() {
        Consultant consultant = new Consultant("Elena Morales", "CFP", "Pathways Financial Planning", "financial_planning_consultant",
                List.of("fee-only financial planning", "mid-career professionals"), 15,
                List.of(new Principle("emotional", "Money is emotional", "acknowledge feelings before facts"),
                        new Principle("judgment_free", "Judgment-free space", "normalize struggles explicitly"),
                        new Principle("education_first", "Education first", "teach the why, not just the what"),
                        new Principle("progress", "Progress over perfection", "celebrate small wins"),
                        new Principle("values", "Values-aligned decisions", "personal context over generic rules")),
                List.of("warm", "professional"), List.of("acknowledge emotions explicitly"), List.of("jargon"));
        List<Persona> personas = List.of(
                persona("anxious_planner", "Jennifer Martinez", "The Anxious Planner", 42, "female"),
                persona("overwhelmed_avoider", "Marcus Thompson", "The Overwhelmed Avoider", 37, "male"),
                persona("pragmatic_optimist", "David Chen", "The Pragmatic Optimist", 35, "male"));
        List<ArcStage> stages = List.of(new ArcStage("initial_opportunity_exploration", "Opening", "first contact"),
                new ArcStage("couple_conflict_to_alignment", "Conflict", "working through"),
                new ArcStage("couple_conflict_resolution", "Resolution", "closing"));
        List<Arc> arcs = List.of(arc("confusion_to_clarity", "Confusion → Clarity", stages),
                arc("couple_conflict_to_alignment", "Couple Conflict → Alignment", stages),
                arc("shame_to_acceptance", "Shame → Acceptance", stages),
                arc(SEED_ARC, "Hand-written seed conversations", seedStages()));
        List<Topic> topics = List.of(topic("long_term_care", "Long-Term Care Planning"),
                topic("negotiating_compensation", "Negotiating Compensation"),
                topic("mortgage_payoff_strategy", "Accelerated Mortgage Payoff"),
                topic("emergency_fund", "Emergency Fund"));
        Rules rules = new Rules(List.of(), new Minimums(1, 1, 1),
                Map.of(Phase.SEED, new PhaseDefaults("claude-sonnet-4-5", 0.7, 1, 12),
                        Phase.EXPANSION, new PhaseDefaults("claude-haiku-4-5", 0.9, 3, 12),
                        Phase.EDGE, new PhaseDefaults("claude-sonnet-4-5", 0.8, 1, 12)));
        return new Pack("financial-planning", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                consultant, personas, arcs, topics, rules);
    }

    private static Persona persona(String key, String name, String archetype, int age, String gender) {
        return new Persona(key, name, archetype, age, gender, "Suburban", "married", "engineer", 90_000, 140_000,
                "stable income", "worried", "direct", List.of(), List.of("retire comfortably"));
    }

    private static Arc arc(String key, String name, List<ArcStage> stages) {
        return new Arc(key, name, "confusion", 0.8, List.of("confusion"), "clarity", 0.8, List.of("clarity"), stages,
                2, 6, ArcCategory.CORE, "validate then teach", List.of("normalize"), List.of("lecturing"));
    }

    private static Topic topic(String key, String name) {
        return new Topic(key, name, "planning", name + " basics", "intermediate", List.of());
    }
}

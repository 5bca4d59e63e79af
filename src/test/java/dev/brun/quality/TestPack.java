package dev.brun.quality;

import dev.brun.pack.Arc;
import dev.brun.pack.ArcCategory;
import dev.brun.pack.ArcStage;
import dev.brun.pack.Consultant;
import dev.brun.pack.Minimums;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;
import dev.brun.pack.Principle;
import dev.brun.pack.Rules;
import dev.brun.pack.Topic;

import java.util.List;
import java.util.Map;

/** The financial-planning pack of the reference files, as far as the fixtures need it. */
final class TestPack {
    private TestPack() {}

    static Pack financialPlanning() {
        Consultant elena = new Consultant("Elena Morales", "CFP", "Pathways Financial Planning", "financial_planning",
                List.of("fee-only financial planning"), 15,
                List.of(new Principle("feelings_before_facts", "Money is emotional", "Always acknowledge feelings before facts"),
                        new Principle("judgment_free", "Judgment-free space", "Normalize struggles explicitly"),
                        new Principle("education_first", "Education first", "Teach the why, not just the what")),
                List.of("warm", "professional", "never condescending"),
                List.of("acknowledge emotions explicitly", "provide specific numbers over abstractions", "ask permission before educating"),
                List.of("financial jargon without explanation", "assumptions about knowledge level", "judgment of past financial decisions",
                        "overwhelming with too many options", "generic platitudes without specifics"));
        List<Persona> personas = List.of(
                new Persona("anxious_planner", "Jennifer Martinez", "The Anxious Planner", 42, "female", "Suburban",
                        "married with children", "marketing manager", 100_000, 140_000, "organized", "anxious", "detailed",
                        List.of(), List.of()),
                new Persona("overwhelmed_avoider", "Marcus Chen", "The Overwhelmed Avoider", 37, "male", "Urban",
                        "single or married without kids", "software engineer", 120_000, 160_000, "high earner", "avoidant", "brief",
                        List.of(), List.of()),
                new Persona("pragmatic_optimist", "David Chen", "The Pragmatic Optimist", 35, "male", "Urban",
                        "married or partnership", "teacher", 65_000, 85_000, "moderate income", "optimistic", "practical",
                        List.of(), List.of()));
        List<ArcStage> stages = List.of(new ArcStage("opening", "Opening", ""), new ArcStage("exploration", "Exploration", ""),
                new ArcStage("resolution", "Resolution", ""));
        List<Arc> arcs = List.of(
                new Arc("confusion_to_clarity", "Confusion → Clarity", "confusion", 0.8,
                        List.of("confusion", "overwhelm", "uncertainty", "anxiety", "frustration"), "clarity", 0.8,
                        List.of("clarity", "confidence", "resolution", "relief", "understanding"), stages, 2, 5,
                        ArcCategory.CORE, "educate step by step", List.of(), List.of()),
                new Arc("couple_conflict_to_alignment", "Couple Conflict → Alignment", "frustration", 0.7,
                        List.of("frustration", "tension", "conflict", "anger", "resentment"), "clarity", 0.7,
                        List.of("alignment", "clarity", "confidence", "unity", "hope"), stages, 2, 5,
                        ArcCategory.CORE, "honor both perspectives", List.of(), List.of()),
                new Arc("shame_to_acceptance", "Shame → Acceptance", "shame", 0.9,
                        List.of("shame", "embarrassment", "guilt"), "acceptance", 0.4,
                        List.of("acceptance", "relief", "hope", "calm"), stages, 2, 5,
                        ArcCategory.CORE, "normalize", List.of(), List.of()));
        List<Topic> topics = List.of(
                new Topic("long_term_care", "Long-Term Care Planning", "insurance", "", "advanced",
                        List.of("long-term care", "nursing home", "home care", "care insurance", "hybrid policy", "elimination period")),
                new Topic("negotiating_compensation", "Negotiating Compensation", "career", "", "intermediate",
                        List.of("salary", "offer", "negotiat", "compensation", "raise", "RSU", "equity")),
                new Topic("mortgage_payoff_strategy", "Mortgage Payoff Strategy", "debt", "", "intermediate",
                        List.of("mortgage", "payoff", "pay off", "interest rate", "principal", "refinanc")));
        return new Pack("financial-planning", "0123456789abcdef0123456789abcdef", elena, personas, arcs, topics,
                new Rules(List.of(), new Minimums(1, 1, 1), Map.of()));
    }
}

package dev.brun.llm.sim;

import dev.brun.llm.GenerationRequest;
import dev.brun.llm.SystemBlock;
import dev.brun.llm.ToolSpec;
import dev.brun.llm.Fixtures;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Unit facts and requests shaped like the prompt code makes them: the instruction names the unit by its key. */
final class SimFixtures {
    private SimFixtures() {}

    private static final Map<String, UnitFacts> KNOWN = new ConcurrentHashMap<>();

    /** Every unit {@link #facts} made, for simulators under test (the run's own directory reads a project). */
    static final UnitDirectory UNITS = UnitDirectory.of(KNOWN);

    static final List<String> STAGES = List.of("validation", "exploration", "education", "action_planning");

    static UnitFacts facts(String unitKey, int variation, String personaKey, int age, String topicKey) {
        UnitFacts facts = new UnitFacts(unitKey, variation, variation == 0 ? "first meeting" : "a follow-up after a setback",
                new UnitFacts.Consultant("Elena Morales"),
                new UnitFacts.Persona(personaKey, personaKey.equals("marcus") ? "Marcus Johnson" : "Priya Shah", age, "male",
                        "married, two children aged 8 and 11", "Software engineer", "Austin, Texas", 85_000, 120_000,
                        List.of("I just want to do this right.", "Is that normal?")),
                new UnitFacts.Arc("anxiety_to_confidence", "Anxiety to confidence", "anxious", 0.8,
                        List.of("anxious", "worried", "overwhelmed"), "confident", 0.6, List.of("hopeful", "relieved", "confident"),
                        STAGES, 3, 6),
                new UnitFacts.Topic(topicKey, "Emergency fund", "Saving three to six months of expenses.",
                        List.of("emergency fund", "high-yield savings account", "monthly expenses")));
        KNOWN.put(unitKey, facts);
        return facts;
    }

    /** The user instruction the prompt code sends for a unit. */
    static String instruction(UnitFacts facts) {
        return "Write the conversation for unit " + facts.unitKey() + " now and submit it with submit_conversation.";
    }

    /** The conversation schema's shape, enough for the tool definition (the simulator does not read it). */
    static ToolSpec conversationTool() {
        return new ToolSpec("submit_conversation", "Submit exactly one conversation.",
                Fixtures.json("{\"type\":\"object\",\"required\":[\"session_context\",\"expected_outcome\",\"turns\"],"
                        + "\"properties\":{\"session_context\":{\"type\":\"string\"},\"expected_outcome\":{\"type\":\"string\"},"
                        + "\"turns\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}}}}"));
    }

    static String staticBlock(int approxTokens) {
        StringBuilder s = new StringBuilder("You are Elena Morales, a financial planner. ");
        while (s.length() < approxTokens * 4) s.append("Acknowledge feelings before facts; speak plainly; end with a next step. ");
        return s.toString();
    }

    static GenerationRequest request(String model, UnitFacts facts, int staticTokens, int maxTokens) {
        return new GenerationRequest(model,
                List.of(SystemBlock.cached(staticBlock(staticTokens)), SystemBlock.plain("This conversation: " + facts.persona().name()
                        + ", " + facts.arc().name() + ", " + facts.topic().name() + ".")),
                instruction(facts), conversationTool(), 0.8, maxTokens, facts.unitKey());
    }
}

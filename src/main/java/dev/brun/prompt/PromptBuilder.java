package dev.brun.prompt;

import dev.brun.pack.Arc;
import dev.brun.pack.ArcStage;
import dev.brun.pack.Consultant;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;
import dev.brun.pack.Principle;
import dev.brun.pack.Topic;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds generation prompts from a pack. The static block is the same for every unit of a phase so the
 * provider can cache it; the persona and arc block is the same for every unit of one persona x arc pair (a
 * second cached prefix); what varies per unit (topic, variation) goes last, into the unit block. Both carry only what the
 * model needs to write the conversation (the simulated provider learns a unit's facts in-process, see
 * {@code run.SimulatedUnits}).
 */
public final class PromptBuilder {
    /**
     * The rendered example conversations a unit's static block carries. Units that get the same list share
     * one static block, hence one cached prefix; implementations must be deterministic.
     */
    @FunctionalInterface
    public interface ExampleSource {
        List<String> examplesFor(UnitSpec unit);

        /** The ids of the conversations behind {@link #examplesFor}, in the same order (seed lineage); none by default. */
        default List<String> exampleIdsFor(UnitSpec unit) { return List.of(); }
    }

    private final Pack pack;
    private final ObjectNode toolSchema;
    private final String staticBlock;
    private final ExampleSource examples;
    private final Map<List<String>, String> blocksByExamples = new ConcurrentHashMap<>();

    public PromptBuilder(Pack pack) {
        this(pack, List.of());
    }

    /** @param seedExamples rendered example conversations placed in the static block (expansion phase). */
    public PromptBuilder(Pack pack, List<String> seedExamples) {
        this.pack = pack;
        this.toolSchema = ConversationContract.inputSchema(pack);
        this.staticBlock = buildStaticBlock(seedExamples);
        this.examples = null;
    }

    /** Examples chosen per unit (e.g. approved seeds of the same persona or arc first): one static block per distinct choice. */
    public PromptBuilder(Pack pack, ExampleSource examples) {
        this.pack = pack;
        this.toolSchema = ConversationContract.inputSchema(pack);
        this.staticBlock = buildStaticBlock(List.of());
        this.examples = examples;
    }

    public Pack pack() { return pack; }

    /** The ids of the example conversations this unit's prompt carries (empty when it carries none). */
    public List<String> exampleIds(UnitSpec unit) {
        return examples == null ? List.of() : examples.exampleIdsFor(unit);
    }

    public Prompt build(UnitSpec unit) {
        String block = examples == null ? staticBlock
                : blocksByExamples.computeIfAbsent(List.copyOf(examples.examplesFor(unit)), this::buildStaticBlock);
        return new Prompt(block, personaArcBlock(unit), unitBlock(unit), userMessage(unit), ConversationContract.TOOL_NAME,
                ConversationContract.TOOL_DESCRIPTION, toolSchema);
    }

    /** The consultant system prompt a fine-tuned model should run with (exported with every training example). */
    public String trainingSystemPrompt() {
        Consultant c = pack.consultant();
        StringBuilder sb = new StringBuilder();
        sb.append("You are ").append(c.displayName()).append(" of ").append(c.business())
                .append(", speaking with a client. ");
        sb.append("Your principles: ");
        List<Principle> ps = c.principles();
        for (int i = 0; i < ps.size(); i++) {
            sb.append('(').append(i + 1).append(") ").append(ps.get(i).name());
            sb.append(i == ps.size() - 1 ? ". " : "; ");
        }
        if (!c.tone().isEmpty()) sb.append("Your tone is ").append(String.join(", ", c.tone())).append(". ");
        if (!c.techniques().isEmpty()) sb.append("You ").append(joinLower(c.techniques())).append(". ");
        if (!c.avoid().isEmpty()) sb.append("You avoid ").append(joinLower(c.avoid())).append('.');
        return sb.toString().trim();
    }

    private String buildStaticBlock(List<String> seedExamples) {
        Consultant c = pack.consultant();
        StringBuilder sb = new StringBuilder();
        sb.append("You write realistic training conversations for a fine-tuned advisor model. Each conversation is between ")
                .append("a client (the user) and ").append(c.displayName()).append(" of ").append(c.business())
                .append(" (the assistant).\n\n");
        sb.append("## The consultant\n");
        sb.append("- Name: ").append(c.displayName()).append('\n');
        sb.append("- Business: ").append(c.business()).append('\n');
        sb.append("- Years of experience: ").append(c.yearsExperience()).append('\n');
        if (!c.expertise().isEmpty()) sb.append("- Expertise: ").append(String.join("; ", c.expertise())).append('\n');
        sb.append("\n## Principles the assistant must embody in every reply\n");
        for (Principle p : c.principles())
            sb.append("- ").append(p.name()).append(": ").append(p.description()).append('\n');
        bullets(sb, "Tone", c.tone());
        bullets(sb, "Techniques to use", c.techniques());
        bullets(sb, "Never do", c.avoid());
        sb.append("""

                ## How the conversation must go
                - Exactly one conversation per call. Turns alternate: the user speaks first and the assistant speaks last.
                - The number of exchanges (a user message plus the assistant's reply) must be inside the range given for the unit.
                - The user is the persona described in the unit block: keep every stated fact (age, family, work, income) consistent with it, and use their voice and phrases.
                - The user's emotion starts in the arc's starting emotion and ends in its ending emotion, moving gradually through its stages; report it on every user turn (primary, secondary, intensity 0-1, confidence 0-1, valence).
                - Each assistant turn names the arc stage it belongs to (phase), what it teaches (learning_objective: one sentence about this reply, not the topic name) and the consultant skills it shows (skills: short phrases such as "validates emotion", "asks permission", "explains a term").
                - Early assistant turns acknowledge the feeling before giving facts and ask permission before educating. Explain every technical term in plain words. Use concrete numbers that fit the persona.
                - Write natural prose: no markdown headings, no bullet symbols, no JSON inside the text. Finish every message with a complete sentence.
                - The conversation must stay on the unit's topic and use its vocabulary.

                ## Output contract
                Call the tool submit_conversation exactly once with: session_context (one or two sentences), expected_outcome (one sentence), and turns as described above. Do not write anything outside the tool call.
                """);
        if (!seedExamples.isEmpty()) {
            sb.append("\n## Approved example conversations (match their quality and voice; do not copy their wording)\n");
            for (int i = 0; i < seedExamples.size(); i++)
                sb.append("\n### Example ").append(i + 1).append('\n').append(seedExamples.get(i)).append('\n');
        }
        return sb.toString();
    }

    /**
     * The persona and arc section: the same for every unit of one persona x arc pair, and units are claimed in
     * persona, arc, topic order, so consecutive calls share it and it ends a second cached prefix. Nothing
     * that varies by topic or variation may go in here, or that prefix would never be read back.
     */
    private static String personaArcBlock(UnitSpec u) {
        Persona p = u.persona();
        Arc a = u.arc();
        StringBuilder sb = new StringBuilder();
        sb.append("## This conversation\n");
        sb.append("### The client (user): ").append(p.name()).append(" (").append(p.archetype()).append(")\n");
        sb.append("- Age ").append(p.age()).append(", ").append(p.gender()).append(", lives in ").append(p.location()).append('\n');
        sb.append("- Family: ").append(p.family()).append('\n');
        sb.append("- Occupation: ").append(p.occupation()).append("; household income ").append(p.incomeRange()).append('\n');
        sb.append("- Financial situation: ").append(p.financialSituation()).append('\n');
        sb.append("- Emotional baseline: ").append(p.emotionalBaseline()).append("; communication style: ").append(p.communicationStyle()).append('\n');
        if (!p.typicalPhrases().isEmpty()) sb.append("- Typical phrases: ").append(quoteJoin(p.typicalPhrases())).append('\n');
        if (!p.goals().isEmpty()) sb.append("- Goals: ").append(String.join("; ", p.goals())).append('\n');
        sb.append("\n### Emotional arc: ").append(a.name()).append('\n');
        sb.append("- Starts in ").append(a.startEmotion()).append(" (intensity about ").append(a.startIntensity())
                .append("), ends in ").append(a.endEmotion()).append(" (intensity about ").append(a.endIntensity()).append(")\n");
        sb.append("- Stages, in order (use these keys as phase):\n");
        for (ArcStage s : a.stages()) sb.append("  - ").append(s.key()).append(": ").append(s.description()).append('\n');
        sb.append("- Exchanges: between ").append(a.minExchanges()).append(" and ").append(a.maxExchanges()).append('\n');
        if (a.strategy() != null && !a.strategy().isBlank()) sb.append("- Strategy: ").append(a.strategy()).append('\n');
        if (!a.techniques().isEmpty()) sb.append("- Techniques for this arc: ").append(String.join("; ", a.techniques())).append('\n');
        if (!a.avoid().isEmpty()) sb.append("- Avoid in this arc: ").append(String.join("; ", a.avoid())).append('\n');
        return sb.toString();
    }

    /** What differs from one unit of a persona x arc pair to the next: topic, then the variation's angle. */
    private static String unitBlock(UnitSpec u) {
        Topic t = u.topic();
        String hint = VariationHints.hintFor(u.persona().key() + "|" + u.arc().key() + "|" + t.key(), u.variationIndex());
        StringBuilder sb = new StringBuilder();
        sb.append("### Topic: ").append(t.name()).append(" (").append(t.complexity()).append(")\n");
        sb.append(t.description()).append('\n');
        if (!t.keyTerms().isEmpty()) sb.append("Vocabulary to use naturally: ").append(String.join(", ", t.keyTerms())).append('\n');
        sb.append("\nVariation ").append(u.variationIndex()).append(" of this combination. Angle: ").append(hint).append('\n');
        return sb.toString();
    }

    private static String userMessage(UnitSpec u) {
        return "Write the conversation for unit " + u.unitKey() + " now and submit it with submit_conversation.";
    }

    private static void bullets(StringBuilder sb, String title, List<String> items) {
        if (items.isEmpty()) return;
        sb.append("\n## ").append(title).append('\n');
        items.forEach(i -> sb.append("- ").append(i).append('\n'));
    }

    private static String quoteJoin(List<String> items) {
        StringBuilder sb = new StringBuilder();
        for (String i : items) sb.append(sb.isEmpty() ? "" : ", ").append('"').append(i).append('"');
        return sb.toString();
    }

    private static String joinLower(List<String> items) {
        return String.join(", ", items.stream().map(s -> s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1)).toList());
    }
}

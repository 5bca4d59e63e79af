package dev.brun.prompt;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Turn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Approved seed conversations as few-shot examples for the expansion phase. A unit gets up to
 * {@code perPrompt} of them: those of the same persona and arc first, then the same persona or arc, then
 * any, each group oldest first. The choice depends only on persona and arc, so every unit of one persona x
 * arc pair shares one static block and therefore one cached prefix.
 */
public final class SeedExamples implements PromptBuilder.ExampleSource {
    private final List<Conversation> seeds;
    private final int perPrompt;
    private final Map<String, List<String>> rendered = new ConcurrentHashMap<>();

    /** @param seeds approved seed conversations, oldest first */
    public SeedExamples(List<Conversation> seeds, int perPrompt) {
        if (perPrompt < 0) throw new IllegalArgumentException("perPrompt must not be negative, was " + perPrompt);
        this.seeds = List.copyOf(seeds);
        this.perPrompt = perPrompt;
    }

    public int perPrompt() { return perPrompt; }

    public int available() { return seeds.size(); }

    @Override
    public List<String> examplesFor(UnitSpec unit) {
        return rendered.computeIfAbsent(unit.persona().key() + "|" + unit.arc().key(),
                k -> choose(unit.persona().key(), unit.arc().key()).stream().map(SeedExamples::render).toList());
    }

    @Override
    public List<String> exampleIdsFor(UnitSpec unit) {
        return choose(unit.persona().key(), unit.arc().key()).stream().map(Conversation::id).toList();
    }

    /** The seeds a persona x arc pair gets, best match first. */
    public List<Conversation> choose(String personaKey, String arcKey) {
        List<Conversation> both = new ArrayList<>(), either = new ArrayList<>(), rest = new ArrayList<>();
        for (Conversation c : seeds) {
            boolean persona = c.scaffolding().personaKey().equals(personaKey);
            boolean arc = c.scaffolding().arcKey().equals(arcKey);
            (persona && arc ? both : persona || arc ? either : rest).add(c);
        }
        List<Conversation> out = new ArrayList<>(perPrompt);
        for (List<Conversation> group : List.of(both, either, rest))
            for (Conversation c : group) {
                if (out.size() == perPrompt) return out;
                out.add(c);
            }
        return out;
    }

    /** One conversation as plain text: context, outcome, then each turn with the client's emotion or the consultant's stage. */
    public static String render(Conversation c) {
        StringBuilder sb = new StringBuilder();
        sb.append("Combination: persona ").append(c.scaffolding().personaKey()).append(", arc ").append(c.scaffolding().arcKey())
                .append(", topic ").append(c.scaffolding().topicKey()).append('\n');
        if (c.sessionContext() != null) sb.append("Session context: ").append(c.sessionContext()).append('\n');
        if (c.expectedOutcome() != null) sb.append("Expected outcome: ").append(c.expectedOutcome()).append('\n');
        for (Turn t : c.turns()) {
            if (t.isUser()) {
                sb.append("Client");
                if (t.emotion() != null)
                    sb.append(" (").append(t.emotion().primary()).append(", intensity ").append(t.emotion().intensity()).append(')');
            } else {
                sb.append("Consultant [").append(t.phase()).append("; teaches: ").append(t.learningObjective())
                        .append("; skills: ").append(String.join(", ", t.skills())).append(']');
            }
            sb.append(": ").append(t.content()).append('\n');
        }
        return sb.toString();
    }
}

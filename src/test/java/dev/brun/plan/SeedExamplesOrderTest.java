package dev.brun.plan;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.prompt.SeedExamples;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SeedExamplesOrderTest {
    private static Conversation seed(String id, String persona, String arc) {
        return new Conversation(id, "unit-" + id, new Scaffolding(persona, arc, "t0", 0, "seed"), "context", "outcome",
                List.of(Turn.user(0, "Hello", null), Turn.assistant(1, "Hi", "open", "greet", List.of("warmth"))),
                Source.GENERATED, "simulated", "claude-sonnet-4-5");
    }

    @Test
    void samePersonaAndArcComeFirstThenSamePersonaOrArcThenAnyEachOldestFirst() {
        List<Conversation> seeds = List.of(seed("other", "p3", "a3"), seed("arcOnly", "p2", "a1"), seed("personaOnly", "p1", "a2"),
                seed("both", "p1", "a1"), seed("both2", "p1", "a1"));

        List<String> chosen = new SeedExamples(seeds, 4).choose("p1", "a1").stream().map(Conversation::id).toList();

        assertThat(chosen).containsExactly("both", "both2", "arcOnly", "personaOnly");
        assertThat(new SeedExamples(seeds, 9).choose("p1", "a1")).hasSize(5);
        assertThat(new SeedExamples(seeds, 0).choose("p1", "a1")).isEmpty();
    }

    @Test
    void everyUnitOfAPersonaAndArcGetsTheSameExamplesSoTheyShareACachedPrefix() {
        List<Conversation> seeds = List.of(seed("x", "p1", "a1"), seed("y", "p2", "a2"));
        SeedExamples examples = new SeedExamples(seeds, 1);
        assertThat(examples.choose("p1", "a1")).extracting(Conversation::id).containsExactly("x");
        assertThat(examples.choose("p2", "a2")).extracting(Conversation::id).containsExactly("y");
        assertThat(SeedExamples.render(seeds.getFirst())).contains("persona p1, arc a1").contains("Client").contains("Consultant [open");
    }
}

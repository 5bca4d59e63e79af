package dev.brun.prompt;

import dev.brun.pack.Arc;
import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.pack.Persona;
import dev.brun.pack.Phase;
import dev.brun.pack.Topic;
import dev.brun.plan.TokenCounter;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures what the {@code <unit_facts>} block (addressed to the simulated provider, repeated from the prose)
 * costs every call of the default pack's seed plan: characters, tokens and dollars at the uncached input price.
 * Prints the figures BENCHMARKS.md quotes.
 */
class UnitFactsCostTest {
    private static final double SONNET_INPUT_PER_TOKEN = 3.0 / 1_000_000;

    @Test
    void unitFactsShareOfTheUncachedUnitBlock() {
        Pack pack = PackLoader.loadBuiltin("financial-planning");
        PromptBuilder builder = new PromptBuilder(pack);
        long calls = 0, factChars = 0, blockChars = 0;
        for (Persona p : pack.personas())
            for (Arc a : pack.arcs())
                for (Topic t : pack.topics()) {
                    String block = builder.build(new UnitSpec("seed-" + calls, Phase.SEED, p, a, t, 0)).unitBlock();
                    int open = block.indexOf("<unit_facts>"), close = block.indexOf("</unit_facts>");
                    assertThat(open).isNotNegative();
                    factChars += close + "</unit_facts>".length() - open;
                    blockChars += block.length();
                    calls++;
                }
        double chars = (double) factChars / calls;
        long tokens = TokenCounter.tokens(Math.round(chars));
        System.out.printf(Locale.ROOT, "unit_facts: %d calls, %.0f chars (%d tokens, %.0f%% of the unit block) per call, $%.5f per call, $%.2f per plan%n",
                calls, chars, tokens, 100.0 * factChars / blockChars, tokens * SONNET_INPUT_PER_TOKEN, tokens * SONNET_INPUT_PER_TOKEN * calls);
        assertThat(calls).isPositive();
    }
}

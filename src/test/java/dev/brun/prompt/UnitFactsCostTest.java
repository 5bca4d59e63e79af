package dev.brun.prompt;

import dev.brun.pack.Arc;
import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.pack.Persona;
import dev.brun.pack.Phase;
import dev.brun.pack.Topic;
import dev.brun.plan.TokenCounter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures what dropping the {@code <unit_facts>} block (it was addressed to the simulated provider and repeated
 * the prose) saves every call of the default pack's seed plan: the block is rebuilt here exactly as PromptBuilder
 * used to append it, and compared with the unit block it sends now. Prints the figures BENCHMARKS.md quotes.
 */
class UnitFactsCostTest {
    private static final double SONNET_INPUT_PER_TOKEN = 3.0 / 1_000_000;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void droppingUnitFactsSavesTheirTokensOnEveryCall() {
        Pack pack = PackLoader.loadBuiltin("financial-planning");
        PromptBuilder builder = new PromptBuilder(pack);
        long calls = 0, savedChars = 0, blockChars = 0;
        for (Persona p : pack.personas())
            for (Arc a : pack.arcs())
                for (Topic t : pack.topics()) {
                    UnitSpec unit = new UnitSpec("seed-" + calls, Phase.SEED, p, a, t, 0);
                    String block = builder.build(unit).unitBlock();
                    String removed = "\n<unit_facts>" + formerUnitFacts(pack, unit) + "</unit_facts>\n";
                    assertThat(block).doesNotContain("<unit_facts>").doesNotContain("\"unit_key\"");
                    savedChars += removed.length();
                    blockChars += block.length();
                    calls++;
                }
        double chars = (double) savedChars / calls;
        long tokens = TokenCounter.tokens(Math.round(chars));
        double before = (double) (blockChars + savedChars) / calls;
        System.out.printf(Locale.ROOT, "unit_facts dropped: %d calls, %.0f chars (%d tokens) saved per call, the unit block %.0f -> %.0f chars"
                        + " (-%.0f%%), $%.5f per call, $%.2f per plan at Sonnet 4.5 uncached input%n",
                calls, chars, tokens, before, (double) blockChars / calls, 100.0 * savedChars / (blockChars + savedChars),
                tokens * SONNET_INPUT_PER_TOKEN, tokens * SONNET_INPUT_PER_TOKEN * calls);
        assertThat(calls).isEqualTo((long) pack.personas().size() * pack.arcs().size() * pack.topics().size());
        assertThat(tokens).as("the block repeated several hundred tokens of facts").isGreaterThan(200);
    }

    /** The JSON PromptBuilder appended to every unit block before issue 14 (kept here only to measure it). */
    private static String formerUnitFacts(Pack pack, UnitSpec u) {
        String hint = VariationHints.hintFor(u.persona().key() + "|" + u.arc().key() + "|" + u.topic().key(), u.variationIndex());
        ObjectNode f = MAPPER.createObjectNode();
        f.put("unit_key", u.unitKey());
        f.put("phase", u.phase().wire());
        f.put("variation_index", u.variationIndex());
        f.put("variation_hint", hint);
        f.putObject("consultant").put("name", pack.consultant().name());
        Persona p = u.persona();
        ObjectNode pn = f.putObject("persona");
        pn.put("key", p.key()).put("name", p.name()).put("age", p.age()).put("gender", p.gender())
                .put("family", p.family()).put("occupation", p.occupation()).put("location", p.location())
                .put("income_min", p.incomeMin()).put("income_max", p.incomeMax());
        p.typicalPhrases().forEach(pn.putArray("typical_phrases")::add);
        Arc a = u.arc();
        ObjectNode an = f.putObject("arc");
        an.put("key", a.key()).put("name", a.name()).put("start_emotion", a.startEmotion())
                .put("start_intensity", a.startIntensity()).put("end_emotion", a.endEmotion())
                .put("end_intensity", a.endIntensity()).put("min_exchanges", a.minExchanges())
                .put("max_exchanges", a.maxExchanges());
        a.startFamily().forEach(an.putArray("start_family")::add);
        a.endFamily().forEach(an.putArray("end_family")::add);
        a.stageKeys().forEach(an.putArray("stages")::add);
        Topic t = u.topic();
        ObjectNode tn = f.putObject("topic");
        tn.put("key", t.key()).put("name", t.name()).put("description", t.description());
        t.keyTerms().forEach(tn.putArray("key_terms")::add);
        return f.toString();
    }
}

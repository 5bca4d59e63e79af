package dev.brun.run;

import dev.brun.llm.GenerationRequest;
import dev.brun.llm.anthropic.AnthropicRequestMapper;
import dev.brun.llm.openai.OpenAiRequestMapper;
import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.pack.Phase;
import dev.brun.plan.CoverageMatrix;
import dev.brun.plan.PlanFilter;
import dev.brun.plan.PlannedUnit;
import dev.brun.prompt.PromptBuilder;
import dev.brun.prompt.UnitSpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a real model is sent, on the wire of both providers, for every unit of the default pack in every phase and
 * arc, with and without seed examples: nothing in it is addressed to the simulated provider (it learns a unit's
 * facts in-process from {@link SimulatedUnits}), and the unit's facts are there as prose.
 */
class NoSimulatorContentInPromptsTest {
    private static final Pack PACK = PackLoader.loadBuiltin("financial-planning");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Machine-readable blocks (XML-like tags, JSON objects with our field names) or words about the simulator. */
    private static final Pattern FOR_THE_SIMULATOR = Pattern.compile(
            "<unit_facts>|unit_facts|\"unit_key\"|\"income_min\"|\"start_family\"|simulat|<[a-z_]+>", Pattern.CASE_INSENSITIVE);

    @Test
    void noPhaseArcOrSeededPromptCarriesContentForTheSimulator() {
        CoverageMatrix matrix = new CoverageMatrix(PACK);
        String example = "User: I'm 42 and I have no savings at all.\nAssistant: That is more common than you think; let's start small.";
        List<PromptBuilder> builders = List.of(new PromptBuilder(PACK), new PromptBuilder(PACK, List.of(example)),
                new PromptBuilder(PACK, unit -> List.of(example + " (" + unit.persona().name() + ")")));
        AnthropicRequestMapper anthropic = new AnthropicRequestMapper();
        OpenAiRequestMapper openAi = new OpenAiRequestMapper();
        int checked = 0;
        java.util.Set<String> arcs = new java.util.HashSet<>();
        for (Phase phase : Phase.values()) {
            for (PlannedUnit u : matrix.units(phase, matrix.combinations(PlanFilter.ALL), phase == Phase.SEED ? 0 : 1, phase == Phase.SEED ? 1 : 2)) {
                UnitSpec spec = new UnitSpec(u.key(), phase, PACK.persona(u.personaKey()).orElseThrow(), PACK.arc(u.arcKey()).orElseThrow(),
                        PACK.topic(u.topicKey()).orElseThrow(), u.variationIndex());
                for (PromptBuilder builder : builders) {
                    GenerationRequest request = ReplyIngest.request(spec, builder.build(spec), "claude-sonnet-4-5", 0.8);
                    String wire = JSON.writeValueAsString(anthropic.toWire(request)) + JSON.writeValueAsString(openAi.toWire(request, true, false));
                    assertThat(FOR_THE_SIMULATOR.matcher(wire).find()).as("%s %s: %s", phase, u.key(), matchOf(wire)).isFalse();
                    // the persona and arc block, then the unit's own (topic, variation)
                    String unitBlock = request.system().get(1).text() + request.system().get(2).text();
                    assertThat(unitBlock).as("the facts are in the prose").contains(spec.persona().name())
                            .contains("Age " + spec.persona().age()).contains(spec.arc().name()).contains(spec.topic().name())
                            .contains(spec.arc().stageKeys().getFirst());
                    checked++;
                }
                arcs.add(u.arcKey());
            }
        }
        assertThat(arcs).hasSize(PACK.arcs().size());
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void theSimulatorFindsEveryPlannedUnitFromTheInstructionAlone() {
        SimulatedUnits units = SimulatedUnits.of(PACK);
        CoverageMatrix matrix = new CoverageMatrix(PACK);
        PromptBuilder builder = new PromptBuilder(PACK);
        for (Phase phase : Phase.values()) {
            for (PlannedUnit u : matrix.units(phase, matrix.combinations(PlanFilter.ALL), 2, 1)) {
                UnitSpec spec = new UnitSpec(u.key(), phase, PACK.persona(u.personaKey()).orElseThrow(), PACK.arc(u.arcKey()).orElseThrow(),
                        PACK.topic(u.topicKey()).orElseThrow(), u.variationIndex());
                var facts = units.find(builder.build(spec).userMessage()).orElseThrow(() -> new AssertionError("not found: " + u.key()));
                assertThat(facts.unitKey()).isEqualTo(u.key());
                assertThat(facts.persona().key()).isEqualTo(u.personaKey());
                assertThat(facts.arc().key()).isEqualTo(u.arcKey());
                assertThat(facts.topic().key()).isEqualTo(u.topicKey());
                assertThat(facts.variationIndex()).isEqualTo(2);
            }
        }
        assertThat(units.find("Write the conversation for unit seed-000000000000000000000000-v0 now.")).isEmpty();
    }

    private static String matchOf(String wire) {
        var m = FOR_THE_SIMULATOR.matcher(wire);
        return m.find() ? wire.substring(Math.max(0, m.start() - 60), Math.min(wire.length(), m.end() + 60)).toLowerCase(Locale.ROOT) : "";
    }
}

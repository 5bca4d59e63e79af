package dev.brun.run;

import dev.brun.llm.CacheTtl;
import dev.brun.llm.GenerationRequest;
import dev.brun.pack.Phase;
import dev.brun.prompt.PromptBuilder;
import dev.brun.prompt.UnitSpec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * How the calls of one phase are made: the model, the temperature, the prompt builder (the expansion phase's
 * carries seed examples) and the prompt-cache lifetime they ask for. The engine and the batch runner both
 * build every request from it, so a unit sends the same request whichever path it takes.
 */
public record PhaseCalls(String model, double temperature, PromptBuilder builder, CacheTtl cacheTtl) {

    /** The seed conversations this unit's prompt carries as examples (its lineage; empty outside expansion). */
    public java.util.List<String> seedIds(UnitSpec spec) {
        return builder.exampleIds(spec);
    }

    /** The one request this unit sends in this phase. */
    public GenerationRequest request(UnitSpec spec) {
        return ReplyIngest.request(spec, builder.build(spec), model, temperature, cacheTtl);
    }

    /**
     * Each phase's calls from its parts, worked out once per phase on first use: the builders and the
     * automatic cache lifetime look at the database, and a run asks for every unit.
     */
    public static Function<Phase, PhaseCalls> perPhase(Function<Phase, String> models, Function<Phase, Double> temperatures,
                                                       Function<Phase, PromptBuilder> builders, Function<Phase, CacheTtl> cacheTtls) {
        Map<Phase, PhaseCalls> made = new ConcurrentHashMap<>();
        return phase -> made.computeIfAbsent(phase, p ->
                new PhaseCalls(models.apply(p), temperatures.apply(p), builders.apply(p), cacheTtls.apply(p)));
    }
}

package dev.brun.run;

import dev.brun.llm.sim.UnitDirectory;
import dev.brun.llm.sim.UnitFacts;
import dev.brun.pack.Arc;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;
import dev.brun.pack.Phase;
import dev.brun.pack.Topic;
import dev.brun.plan.UnitKeys;
import dev.brun.project.Project;
import dev.brun.prompt.UnitSpec;
import dev.brun.prompt.VariationHints;
import dev.brun.store.UnitRecord;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated provider's view of a project's units: the unit key a request's instruction names, resolved to
 * the pack entries it was planned from. The simulator runs in the same process, so it gets the facts from here
 * rather than from anything in the prompt; a real model is sent only the prose.
 */
public final class SimulatedUnits implements UnitDirectory {
    /** The shape of {@link UnitKeys#of}: phase, 24 hex digits, variation. */
    private static final Pattern UNIT_KEY = Pattern.compile("\\b(seed|expansion|edge)-[0-9a-f]{24}-v(\\d+)\\b");

    private final Pack pack;
    private final Function<String, Optional<UnitRecord>> planned;
    private final Map<String, Map<String, UnitSpec>> keysByPhaseAndVariation = new ConcurrentHashMap<>();

    private SimulatedUnits(Pack pack, Function<String, Optional<UnitRecord>> planned) {
        this.pack = pack;
        this.planned = planned;
    }

    /** The units planned in this project (looked up in its database), else any unit its pack can make. */
    public static SimulatedUnits of(Project project) {
        return new SimulatedUnits(project.pack(), key -> project.db().units().find(key));
    }

    /** Any unit this pack can make, in any phase and variation (for a simulator started before its project). */
    public static SimulatedUnits of(Pack pack) {
        return new SimulatedUnits(pack, key -> Optional.empty());
    }

    @Override
    public Optional<UnitFacts> find(String userInstruction) {
        Matcher m = UNIT_KEY.matcher(userInstruction);
        while (m.find()) {
            String key = m.group();
            Optional<UnitSpec> spec = planned.apply(key).flatMap(this::specOf)
                    .or(() -> fromPack(key, Phase.fromWire(m.group(1)), Integer.parseInt(m.group(2))));
            if (spec.isPresent()) return spec.map(this::facts);
        }
        return Optional.empty();
    }

    private Optional<UnitSpec> specOf(UnitRecord unit) {
        Optional<Persona> p = pack.persona(unit.personaKey());
        Optional<Arc> a = pack.arc(unit.arcKey());
        Optional<Topic> t = pack.topic(unit.topicKey());
        if (p.isEmpty() || a.isEmpty() || t.isEmpty()) return Optional.empty();
        return Optional.of(new UnitSpec(unit.key(), Phase.fromWire(unit.phase()), p.get(), a.get(), t.get(), unit.variationIndex()));
    }

    /** Keys are hashes, so a key is found by making every key of its phase and variation once. */
    private Optional<UnitSpec> fromPack(String key, Phase phase, int variation) {
        Map<String, UnitSpec> keys = keysByPhaseAndVariation.computeIfAbsent(phase.wire() + "#" + variation, k -> {
            Map<String, UnitSpec> made = new HashMap<>();
            for (Persona p : pack.personas())
                for (Arc a : pack.arcs())
                    for (Topic t : pack.topics()) {
                        String unitKey = UnitKeys.of(pack.hash(), phase, p.key(), a.key(), t.key(), variation);
                        made.put(unitKey, new UnitSpec(unitKey, phase, p, a, t, variation));
                    }
            return Map.copyOf(made);
        });
        return Optional.ofNullable(keys.get(key));
    }

    private UnitFacts facts(UnitSpec u) {
        Persona p = u.persona();
        Arc a = u.arc();
        Topic t = u.topic();
        String hint = VariationHints.hintFor(p.key() + "|" + a.key() + "|" + t.key(), u.variationIndex());
        return new UnitFacts(u.unitKey(), u.variationIndex(), hint, new UnitFacts.Consultant(pack.consultant().name()),
                new UnitFacts.Persona(p.key(), p.name(), p.age(), p.gender(), p.family(), p.occupation(), p.location(),
                        p.incomeMin(), p.incomeMax(), p.typicalPhrases()),
                new UnitFacts.Arc(a.key(), a.name(), a.startEmotion(), a.startIntensity(), a.startFamily(),
                        a.endEmotion(), a.endIntensity(), a.endFamily(), a.stageKeys(), a.minExchanges(), a.maxExchanges()),
                new UnitFacts.Topic(t.key(), t.name(), t.description(), t.keyTerms()));
    }
}

package dev.brun.plan;

import dev.brun.pack.Arc;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;
import dev.brun.pack.Phase;
import dev.brun.pack.Topic;

import java.util.ArrayList;
import java.util.List;

/** The combinations a pack allows (persona x arc x topic minus the rules' exclusions), and units over them. */
public final class CoverageMatrix {
    private final Pack pack;

    public CoverageMatrix(Pack pack) { this.pack = pack; }

    public List<Combination> combinations(PlanFilter filter) {
        List<Combination> out = new ArrayList<>();
        for (Persona p : pack.personas())
            for (Arc a : pack.arcs())
                for (Topic t : pack.topics())
                    if (!pack.rules().excluded(p.key(), a.key(), t.key()) && filter.matches(p.key(), a.key(), t.key()))
                        out.add(new Combination(p.key(), a.key(), t.key()));
        return out;
    }

    /** Units for variations [firstVariation, firstVariation + variations) of every combination in the slice. */
    public List<PlannedUnit> units(Phase phase, List<Combination> combinations, int firstVariation, int variations) {
        List<PlannedUnit> out = new ArrayList<>(combinations.size() * variations);
        for (Combination c : combinations)
            for (int v = firstVariation; v < firstVariation + variations; v++)
                out.add(new PlannedUnit(UnitKeys.of(pack.hash(), phase, c.personaKey(), c.arcKey(), c.topicKey(), v),
                        pack.hash(), phase, c.personaKey(), c.arcKey(), c.topicKey(), v));
        return out;
    }
}

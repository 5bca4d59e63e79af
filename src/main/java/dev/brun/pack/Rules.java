package dev.brun.pack;

import java.util.List;
import java.util.Map;

/** rules.yaml: excluded combinations, coverage minimums and per-phase defaults. */
public record Rules(List<Exclusion> exclusions, Minimums minimums, Map<Phase, PhaseDefaults> phaseDefaults) {
    public Rules {
        exclusions = List.copyOf(exclusions);
        phaseDefaults = Map.copyOf(phaseDefaults);
    }

    public boolean excluded(String persona, String arc, String topic) {
        return exclusions.stream().anyMatch(e -> e.matches(persona, arc, topic));
    }

    public PhaseDefaults defaults(Phase phase) {
        PhaseDefaults d = phaseDefaults.get(phase);
        if (d == null) throw new IllegalStateException("rules.yaml has no defaults for phase " + phase.wire());
        return d;
    }
}

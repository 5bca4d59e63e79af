package dev.brun.pack;

import java.util.List;
import java.util.Map;

/**
 * rules.yaml: excluded combinations, coverage minimums, per-phase defaults and the common reasons a reviewer
 * rejects a conversation for (offered as one-key presets on the review page).
 */
public record Rules(List<Exclusion> exclusions, Minimums minimums, Map<Phase, PhaseDefaults> phaseDefaults,
                    List<String> reviewReasons) {
    public Rules {
        exclusions = List.copyOf(exclusions);
        phaseDefaults = Map.copyOf(phaseDefaults);
        reviewReasons = reviewReasons == null ? List.of() : List.copyOf(reviewReasons);
    }

    /** Rules without preset review reasons (the review page then offers only flags and recent reasons). */
    public Rules(List<Exclusion> exclusions, Minimums minimums, Map<Phase, PhaseDefaults> phaseDefaults) {
        this(exclusions, minimums, phaseDefaults, List.of());
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

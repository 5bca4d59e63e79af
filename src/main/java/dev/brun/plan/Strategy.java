package dev.brun.plan;

import dev.brun.pack.Phase;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Which model each phase of a target plan runs on. cheapest: seeds (and edge cases) on the strong model, the
 * expansion on the phase's cheaper model with the approved seeds as examples; strong: every phase on the
 * seed phase's strong model.
 */
public enum Strategy {
    CHEAPEST, STRONG;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static Strategy fromWire(String s) {
        for (Strategy v : values()) if (v.wire().equalsIgnoreCase(s.trim())) return v;
        throw new IllegalArgumentException("'" + s + "' is not one of " + Arrays.stream(values()).map(Strategy::wire).toList());
    }

    /** @param configured the model each phase runs on by brun.yaml and the pack */
    public Map<Phase, String> models(Function<Phase, String> configured) {
        Map<Phase, String> out = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) out.put(p, this == STRONG ? configured.apply(Phase.SEED) : configured.apply(p));
        return out;
    }
}

package dev.brun.review;

import dev.brun.BadInputException;
import dev.brun.store.ReviewCandidate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One way conversations differ in how they were made; a plan's strata are the combinations of the chosen
 * dimensions (default: phase and model).
 *
 * <p>SEED groups conversations by the seed examples their prompt carried (recorded per unit as its request is
 * built); conversations whose prompt carried none (seeds themselves, edge units, imports) group by phase.
 */
public enum StratumDimension {
    PHASE, MODEL, ARC, PERSONA, TOPIC, COMBINATION, SEED;

    public static final String DEFAULT = "phase,model";

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    String value(ReviewCandidate c) {
        return switch (this) {
            case PHASE -> c.phase();
            case MODEL -> c.model() == null || c.model().isBlank() ? "imported" : c.model();
            case ARC -> c.arcKey();
            case PERSONA -> c.personaKey();
            case TOPIC -> c.topicKey();
            case COMBINATION -> c.combination();
            case SEED -> c.seedGroup() == null ? c.phase() : "seeds " + c.seedGroup();
        };
    }

    /** The stratum key of a conversation under these dimensions, e.g. "expansion / claude-haiku-4-5". */
    static String key(List<StratumDimension> by, ReviewCandidate c) {
        return by.stream().map(d -> d.value(c)).collect(Collectors.joining(" / "));
    }

    /** Parses "phase,model" (and repeated --by values); every mistake names the value and the choices. */
    public static List<StratumDimension> parse(List<String> values) {
        LinkedHashSet<StratumDimension> out = new LinkedHashSet<>();
        for (String value : values == null || values.isEmpty() ? List.of(DEFAULT) : values)
            for (String part : value.split(",")) {
                String p = part.strip().toLowerCase(Locale.ROOT);
                if (p.isEmpty()) continue;
                try {
                    out.add(valueOf(p.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--by: unknown dimension '" + part.strip() + "' (expected phase, model, arc, persona, "
                            + "topic, combination or seed, several comma-separated)");
                }
            }
        if (out.isEmpty()) throw new BadInputException("--by needs at least one dimension (e.g. phase,model)");
        return new ArrayList<>(out);
    }

    public static String wire(List<StratumDimension> by) {
        return by.stream().map(StratumDimension::wire).collect(Collectors.joining(","));
    }
}

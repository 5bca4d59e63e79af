package dev.brun.plan;

import dev.brun.BadInputException;
import dev.brun.pack.Pack;

/**
 * Restricts planning to a slice of the matrix: {@code persona=K,arc=K,topic=K} (any subset). Keys are
 * checked against the pack so a typo is an error, not an empty plan.
 */
public record PlanFilter(String persona, String arc, String topic) {
    public static final PlanFilter ALL = new PlanFilter(null, null, null);

    public static PlanFilter parse(String spec) {
        if (spec == null || spec.isBlank()) return ALL;
        String persona = null, arc = null, topic = null;
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2 || kv[1].isBlank())
                throw new BadInputException("--only: expected persona=KEY, arc=KEY or topic=KEY, got '" + part + "'");
            String value = kv[1].trim();
            switch (kv[0].trim()) {
                case "persona" -> persona = value;
                case "arc" -> arc = value;
                case "topic" -> topic = value;
                default -> throw new BadInputException("--only: unknown dimension '" + kv[0].trim() + "' (use persona, arc or topic)");
            }
        }
        return new PlanFilter(persona, arc, topic);
    }

    public void checkAgainst(Pack pack) {
        if (persona != null && pack.persona(persona).isEmpty())
            throw new BadInputException("--only: no persona '" + persona + "' in pack " + pack.name());
        if (arc != null && pack.arc(arc).isEmpty())
            throw new BadInputException("--only: no arc '" + arc + "' in pack " + pack.name());
        if (topic != null && pack.topic(topic).isEmpty())
            throw new BadInputException("--only: no topic '" + topic + "' in pack " + pack.name());
    }

    public boolean matches(String p, String a, String t) {
        return (persona == null || persona.equals(p)) && (arc == null || arc.equals(a)) && (topic == null || topic.equals(t));
    }
}

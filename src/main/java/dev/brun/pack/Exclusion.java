package dev.brun.pack;

/**
 * A combination that makes no sense. Null fields are wildcards: {persona: pragmatic_optimist, arc: grief_to_healing}
 * excludes that pair with every topic. reason says why, for people reading the plan.
 */
public record Exclusion(String persona, String arc, String topic, String reason) {
    public boolean matches(String personaKey, String arcKey, String topicKey) {
        return (persona == null || persona.equals(personaKey))
                && (arc == null || arc.equals(arcKey))
                && (topic == null || topic.equals(topicKey));
    }
}

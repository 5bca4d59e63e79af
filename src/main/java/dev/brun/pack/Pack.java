package dev.brun.pack;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded, validated domain pack. hash is the SHA-256 (hex) of the pack's canonical content: unit keys
 * include it, so an edited pack plans new units instead of silently reusing old ones.
 */
public record Pack(String name, String hash, Consultant consultant, List<Persona> personas, List<Arc> arcs,
                   List<Topic> topics, Rules rules) {
    public Pack {
        personas = List.copyOf(personas);
        arcs = List.copyOf(arcs);
        topics = List.copyOf(topics);
    }

    public Optional<Persona> persona(String key) { return personas.stream().filter(p -> p.key().equals(key)).findFirst(); }
    public Optional<Arc> arc(String key) { return arcs.stream().filter(a -> a.key().equals(key)).findFirst(); }
    public Optional<Topic> topic(String key) { return topics.stream().filter(t -> t.key().equals(key)).findFirst(); }

    /** Every stage key used by any arc, in pack order (the tool schema's enum for {@code phase}). */
    public List<String> allStageKeys() {
        Set<String> keys = new LinkedHashSet<>();
        arcs.forEach(a -> keys.addAll(a.stageKeys()));
        return List.copyOf(keys);
    }

    public String shortHash() { return hash.substring(0, 12); }
}

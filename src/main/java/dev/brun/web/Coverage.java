package dev.brun.web;

import dev.brun.pack.Arc;
import dev.brun.pack.Minimums;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;
import dev.brun.pack.Topic;

import java.util.List;
import java.util.Map;

/**
 * The persona x arc heat-map: usable conversations per cell against a per-cell target derived from the
 * pack's minimums (a persona's minimum spread over its arcs, an arc's over its personas, and every topic's
 * minimum spread over the cells, whichever is highest), and the minimum lines of every dimension exactly as
 * {@code brun report} counts them (usable = not rejected, no error flag).
 */
record Coverage(List<Persona> personas, List<Arc> arcs, List<Topic> topics, Map<String, Long> usable,
                Map<String, Long> total, Map<String, Long> usableByTopic, Minimums minimums, long cellTarget) {

    /** One minimum: dimension persona, arc or topic, its key and name, usable conversations and the minimum. */
    record Line(String dimension, String key, String name, long usable, int minimum) {
        boolean met() { return usable >= minimum; }
    }

    static Coverage of(Pack pack, Map<String, Long> usable, Map<String, Long> total, Map<String, Long> usableByTopic) {
        Minimums m = pack.rules().minimums();
        int arcs = Math.max(1, pack.arcs().size()), personas = Math.max(1, pack.personas().size());
        long cells = (long) arcs * personas;
        long topicShare = ((long) m.perTopic() * pack.topics().size() + cells - 1) / cells;
        long target = Math.max(Math.max((m.perPersona() + arcs - 1) / arcs, (m.perArc() + personas - 1) / personas), topicShare);
        return new Coverage(pack.personas(), pack.arcs(), pack.topics(), usable, total, usableByTopic, m, Math.max(1, target));
    }

    /** Every minimum in the report's order: personas, arcs, topics. */
    List<Line> lines() {
        List<Line> out = new java.util.ArrayList<>();
        for (Persona p : personas) out.add(new Line("persona", p.key(), p.name(), personaTotal(p.key()), minimums.perPersona()));
        for (Arc a : arcs) out.add(new Line("arc", a.key(), a.name(), arcTotal(a.key()), minimums.perArc()));
        for (Topic t : topics) out.add(new Line("topic", t.key(), t.name(), usableByTopic.getOrDefault(t.key(), 0L), minimums.perTopic()));
        return out;
    }

    List<Line> topicLines() { return lines().stream().filter(l -> l.dimension().equals("topic")).toList(); }

    long unmet() { return lines().stream().filter(l -> !l.met()).count(); }

    static String key(String persona, String arc) { return persona + "|" + arc; }

    long usable(String persona, String arc) { return usable.getOrDefault(key(persona, arc), 0L); }
    long total(String persona, String arc) { return total.getOrDefault(key(persona, arc), 0L); }

    /** 0 (nothing) … 4 (target met); the template maps levels to colours. */
    int level(String persona, String arc) {
        long n = usable(persona, arc);
        if (n == 0) return 0;
        if (n >= cellTarget) return 4;
        return 1 + (int) Math.min(2, 3 * n / cellTarget);
    }

    long personaTotal(String persona) {
        return arcs.stream().mapToLong(a -> usable(persona, a.key())).sum();
    }

    long arcTotal(String arc) {
        return personas.stream().mapToLong(p -> usable(p.key(), arc)).sum();
    }

    boolean personaShort(String persona) { return personaTotal(persona) < minimums.perPersona(); }
    boolean arcShort(String arc) { return arcTotal(arc) < minimums.perArc(); }
}

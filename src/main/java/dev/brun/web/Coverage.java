package dev.brun.web;

import dev.brun.pack.Arc;
import dev.brun.pack.Minimums;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;

import java.util.List;
import java.util.Map;

/**
 * The persona x arc heat-map: usable conversations per cell against a per-cell target derived from the
 * pack's minimums (a persona's minimum spread over its arcs, an arc's over its personas, whichever is higher).
 */
record Coverage(List<Persona> personas, List<Arc> arcs, Map<String, Long> usable, Map<String, Long> total,
                Minimums minimums, long cellTarget) {

    static Coverage of(Pack pack, Map<String, Long> usable, Map<String, Long> total) {
        Minimums m = pack.rules().minimums();
        int arcs = Math.max(1, pack.arcs().size()), personas = Math.max(1, pack.personas().size());
        long target = Math.max((m.perPersona() + arcs - 1) / arcs, (m.perArc() + personas - 1) / personas);
        return new Coverage(pack.personas(), pack.arcs(), usable, total, m, Math.max(1, target));
    }

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

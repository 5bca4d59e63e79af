package dev.brun.pack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Checks that need several files at once: unique keys, rules that name real entries, reachable minimums. */
final class PackChecks {
    private final Problems problems;

    PackChecks(Problems problems) { this.problems = problems; }

    /** Reports every key used a second time, at the second place. */
    <T> void uniqueKeys(String what, List<Keyed<T>> entries) {
        Map<String, Location> seen = new HashMap<>();
        for (Keyed<T> e : entries) {
            if (e.key() == null) continue;
            Location first = seen.putIfAbsent(e.key(), e.keyLocation());
            if (first != null) {
                problems.add(e.keyLocation(), "key", what + " key '" + e.key() + "' is already used in " + first.file()
                        + " line " + first.line() + "; every " + what + " needs its own key");
            }
        }
    }

    void exclusionsNameKnownEntries(PackReader.RulesRead rules, List<String> personas, List<String> arcs, List<String> topics) {
        for (int i = 0; i < rules.exclusions().size(); i++) {
            PackReader.Located<Exclusion> located = rules.exclusions().get(i);
            Exclusion e = located.value();
            String prefix = "exclude[" + (i + 1) + "].";
            reference("persona", e.persona(), personas, located.locations().get("persona"), prefix);
            reference("arc", e.arc(), arcs, located.locations().get("arc"), prefix);
            reference("topic", e.topic(), topics, located.locations().get("topic"), prefix);
        }
    }

    private void reference(String what, String key, List<String> known, Location at, String prefix) {
        if (key == null || known.contains(key)) return;
        String hint = Identifiers.closest(key, known).map(k -> "; did you mean '" + k + "'?")
                .orElse("; known " + what + "s: " + String.join(", ", known));
        problems.add(at, prefix + what, "names " + what + " '" + key + "', which the pack does not define" + hint);
    }

    /** Each phase's max_turns must leave room for the longest arc (two turns per exchange). */
    void maxTurnsFitArcs(PackReader.RulesRead read, List<Keyed<Arc>> arcs) {
        if (read.rules() == null) return;
        Arc longest = arcs.stream().map(Keyed::value).filter(Objects::nonNull)
                .max((a, b) -> Integer.compare(a.maxTurns(), b.maxTurns())).orElse(null);
        if (longest == null) return;
        for (Phase phase : Phase.values()) {
            int maxTurns = read.rules().defaults(phase).maxTurns();
            if (maxTurns < longest.maxTurns()) {
                problems.add(read.maxTurnsLocations().get(phase), "phase_defaults." + phase.wire() + ".max_turns",
                        maxTurns + " is too small: arc '" + longest.key() + "' goes up to " + longest.maxExchanges()
                                + " exchanges = " + longest.maxTurns() + " turns; raise max_turns to at least "
                                + longest.maxTurns() + " or shorten the arc");
            }
        }
    }

    /**
     * A minimum is unreachable when some persona (arc, topic) has fewer allowed combinations, times the
     * variations all phases plan per combination, than the minimum asks for.
     */
    void minimumsReachable(PackReader.RulesRead read, List<String> personas, List<String> arcs, List<String> topics) {
        Rules rules = read.rules();
        if (rules == null || personas.isEmpty() || arcs.isEmpty() || topics.isEmpty()) return;
        int variations = 0;
        List<String> parts = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            int v = rules.defaults(phase).variations();
            variations += v;
            parts.add(phase.wire() + " " + v);
        }
        Map<String, Integer> perPersona = new HashMap<>();
        Map<String, Integer> perArc = new HashMap<>();
        Map<String, Integer> perTopic = new HashMap<>();
        for (String p : personas)
            for (String a : arcs)
                for (String t : topics) {
                    if (rules.excluded(p, a, t)) continue;
                    perPersona.merge(p, 1, Integer::sum);
                    perArc.merge(a, 1, Integer::sum);
                    perTopic.merge(t, 1, Integer::sum);
                }
        String variationText = variations + " variations per combination (" + String.join(" + ", parts) + ")";
        check("persona", "per_persona", rules.minimums().perPersona(), personas, perPersona, variations, variationText, read);
        check("arc", "per_arc", rules.minimums().perArc(), arcs, perArc, variations, variationText, read);
        check("topic", "per_topic", rules.minimums().perTopic(), topics, perTopic, variations, variationText, read);
    }

    private void check(String what, String key, int minimum, List<String> keys, Map<String, Integer> combinations,
                       int variations, String variationText, PackReader.RulesRead read) {
        if (minimum <= 0) return;
        Location at = read.minimumLocations().get(key);
        String field = "minimums." + key;
        List<String> none = keys.stream().filter(k -> combinations.getOrDefault(k, 0) == 0).toList();
        if (!none.isEmpty()) {
            String names = String.join(", ", none.stream().map(k -> "'" + k + "'").toList());
            problems.add(at, field, minimum + " cannot be reached: every combination with " + what + " " + names
                    + " is excluded in exclude; remove an exclusion or set " + key + " to 0");
            return;
        }
        String worst = keys.stream().min(Comparator.comparingInt(combinations::get)).orElseThrow();
        int most = combinations.get(worst) * variations;
        if (most < minimum) {
            problems.add(at, field, minimum + " cannot be reached: " + what + " '" + worst + "' has "
                    + combinations.get(worst) + " allowed combinations x " + variationText + " = " + most
                    + " conversations at most; raise phase_defaults.expansion.variations or lower " + key);
        }
    }
}

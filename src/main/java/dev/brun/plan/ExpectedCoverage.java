package dev.brun.plan;

import dev.brun.pack.Pack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a plan is expected to deliver per persona, arc and topic: its units times the usable share, against the
 * pack's per-dimension minimums (which count usable conversations, not units).
 */
public final class ExpectedCoverage {
    /** One key of one dimension: units planned for it, the usable conversations they should give, the minimum. */
    public record Row(String dimension, String key, long units, long expectedUsable, int minimum) {
        public boolean met() { return expectedUsable >= minimum; }
    }

    private final Pack pack;

    public ExpectedCoverage(Pack pack) { this.pack = pack; }

    /** Units a key needs so that, at this usable share, the usable ones reach the minimum. */
    public static long unitsFor(int minimum, double usableShare) {
        return (long) Math.ceil(minimum / usableShare - 1e-9);
    }

    public List<Row> rows(List<PlannedUnit> units, double usableShare) {
        Map<String, Map<String, Long>> counts = counts(units);
        List<Row> rows = new ArrayList<>();
        add(rows, "persona", pack.personas().stream().map(p -> p.key()).toList(), pack.rules().minimums().perPersona(), counts, usableShare);
        add(rows, "arc", pack.arcs().stream().map(a -> a.key()).toList(), pack.rules().minimums().perArc(), counts, usableShare);
        add(rows, "topic", pack.topics().stream().map(t -> t.key()).toList(), pack.rules().minimums().perTopic(), counts, usableShare);
        return rows;
    }

    public boolean allMet(List<PlannedUnit> units, double usableShare) {
        return rows(units, usableShare).stream().allMatch(Row::met);
    }

    /** Units still lacking per dimension and key before every minimum is expected to be met (0 when met). */
    Map<String, Map<String, Long>> lacking(List<PlannedUnit> units, double usableShare) {
        Map<String, Map<String, Long>> out = new HashMap<>();
        for (Row r : rows(units, usableShare))
            out.computeIfAbsent(r.dimension(), k -> new HashMap<>())
                    .put(r.key(), Math.max(0, unitsFor(r.minimum(), usableShare) - r.units()));
        return out;
    }

    static Map<String, Map<String, Long>> counts(List<PlannedUnit> units) {
        Map<String, Map<String, Long>> counts = new HashMap<>();
        for (PlannedUnit u : units) {
            counts.computeIfAbsent("persona", k -> new HashMap<>()).merge(u.personaKey(), 1L, Long::sum);
            counts.computeIfAbsent("arc", k -> new HashMap<>()).merge(u.arcKey(), 1L, Long::sum);
            counts.computeIfAbsent("topic", k -> new HashMap<>()).merge(u.topicKey(), 1L, Long::sum);
        }
        return counts;
    }

    private static void add(List<Row> rows, String dimension, List<String> keys, int minimum,
                            Map<String, Map<String, Long>> counts, double share) {
        for (String k : keys) {
            long n = counts.getOrDefault(dimension, Map.of()).getOrDefault(k, 0L);
            rows.add(new Row(dimension, k, n, (long) Math.floor(n * share + 1e-9), minimum));
        }
    }
}

package dev.brun.export;

import dev.brun.conversation.Scaffolding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assigns whole persona|arc|topic combinations to train or validation, so variations of one combination never
 * leak across splits. Greedy: combinations are visited in a seeded order (largest first) and go to validation
 * when that brings the validation counts per persona, per arc, per topic and in total closer to their targets.
 * The same counts and seed always give the same assignment.
 */
public final class StratifiedSplit {
    private final Map<String, Split> byCombination;

    private StratifiedSplit(Map<String, Split> byCombination) { this.byCombination = byCombination; }

    /** counts: number of conversations per combination key (persona|arc|topic). */
    public static StratifiedSplit plan(Map<String, Integer> counts, double trainFraction, long seed) {
        double validationFraction = 1.0 - trainFraction;
        Map<String, Split> result = new HashMap<>();
        List<String> order = new ArrayList<>(new TreeMap<>(counts).keySet());
        Collections.shuffle(order, new Random(seed));
        order.sort((a, b) -> Integer.compare(counts.get(b), counts.get(a)));  // stable: ties keep the seeded order

        Map<String, Double> target = new HashMap<>();
        for (var e : counts.entrySet())
            for (String dim : dimensions(e.getKey())) target.merge(dim, e.getValue() * validationFraction, Double::sum);
        Map<String, Integer> validation = new HashMap<>();
        for (String combination : order) {
            int n = counts.get(combination);
            double delta = 0;
            for (String dim : dimensions(combination)) {
                double now = validation.getOrDefault(dim, 0), goal = target.getOrDefault(dim, 0.0);
                delta += weight(dim) * (sq(now + n - goal) - sq(now - goal));
            }
            if (validationFraction > 0 && delta < 0) {
                result.put(combination, Split.VALIDATION);
                for (String dim : dimensions(combination)) validation.merge(dim, n, Integer::sum);
            } else {
                result.put(combination, Split.TRAIN);
            }
        }
        if (validationFraction > 0) improve(order, counts, result, validation, target);
        return new StratifiedSplit(Map.copyOf(result));
    }

    /**
     * Local search after the greedy pass: move one combination across, or swap one from each side, whenever that
     * lowers the squared distance to the targets. Bounded, so a huge matrix cannot make an export hang.
     */
    private static void improve(List<String> order, Map<String, Integer> counts, Map<String, Split> result,
                                Map<String, Integer> validation, Map<String, Double> target) {
        int maxRounds = order.size() > 2_000 ? 2 : 20;
        boolean trySwaps = order.size() <= 3_000;  // swaps cost n^2 per round
        for (int round = 0; round < maxRounds; round++) {
            boolean improved = false;
            for (String c : order) {
                int sign = result.get(c) == Split.VALIDATION ? -1 : 1;
                Map<String, Integer> change = new HashMap<>();
                dimensions(c).forEach(d -> change.merge(d, sign * counts.get(c), Integer::sum));
                if (delta(change, validation, target) < -1e-9) {
                    apply(change, validation);
                    result.put(c, sign > 0 ? Split.VALIDATION : Split.TRAIN);
                    improved = true;
                }
            }
            for (String v : trySwaps ? order : List.<String>of()) {
                if (result.get(v) != Split.VALIDATION) continue;
                for (String t : order) {
                    if (result.get(t) != Split.TRAIN || result.get(v) != Split.VALIDATION) continue;
                    Map<String, Integer> change = new HashMap<>();
                    dimensions(v).forEach(d -> change.merge(d, -counts.get(v), Integer::sum));
                    dimensions(t).forEach(d -> change.merge(d, counts.get(t), Integer::sum));
                    if (delta(change, validation, target) < -1e-9) {
                        apply(change, validation);
                        result.put(v, Split.TRAIN);
                        result.put(t, Split.VALIDATION);
                        improved = true;
                    }
                }
            }
            if (!improved) return;
        }
    }

    private static double delta(Map<String, Integer> change, Map<String, Integer> validation, Map<String, Double> target) {
        double delta = 0;
        for (var e : change.entrySet()) {
            double now = validation.getOrDefault(e.getKey(), 0), goal = target.getOrDefault(e.getKey(), 0.0);
            delta += weight(e.getKey()) * (sq(now + e.getValue() - goal) - sq(now - goal));
        }
        return delta;
    }

    private static void apply(Map<String, Integer> change, Map<String, Integer> validation) {
        change.forEach((d, n) -> validation.merge(d, n, Integer::sum));
    }

    private static double sq(double x) { return x * x; }

    /** The counters a combination contributes to. */
    private static List<String> dimensions(String combination) {
        String[] parts = combination.split("\\|", -1);
        return List.of("persona:" + parts[0], "arc:" + parts[1], "topic:" + parts[2], "total");
    }

    /** The overall proportion weighs as much as the three dimensions together. */
    private static double weight(String dimension) { return dimension.equals("total") ? 3.0 : 1.0; }

    public Split of(Scaffolding scaffolding) { return of(scaffolding.combination()); }

    public Split of(String combination) {
        Split s = byCombination.get(combination);
        if (s == null) throw new IllegalArgumentException("combination " + combination + " was not in the split plan");
        return s;
    }

    public Set<String> combinations(Split split) {
        Set<String> out = new HashSet<>();
        byCombination.forEach((k, v) -> { if (v == split) out.add(k); });
        return out;
    }
}

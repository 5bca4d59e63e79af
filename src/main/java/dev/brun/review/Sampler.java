package dev.brun.review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Draws a seeded random sample spread evenly over a stratum's persona × arc × topic combinations:
 * combinations take turns in a seeded order, each giving a random member, so a short sample covers
 * as many combinations as it can instead of the first persona in generation order.
 */
public final class Sampler {

    private final long seed;

    public Sampler(long seed) {
        this.seed = seed;
    }

    /**
     * @param items candidates, in any order (sorted by id first so the same seed gives the same sample)
     * @param id stable id of an item
     * @param combination persona × arc × topic key of an item
     * @return {@code size} items in random reading order
     */
    public <T> List<T> sample(List<T> items, Function<T, String> id, Function<T, String> combination, int size, String stratum) {
        Random random = new Random(seed ^ stratum.hashCode() * 0x9E3779B97F4A7C15L);
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(id));
        Map<String, List<T>> groups = new LinkedHashMap<>();
        for (T item : sorted) groups.computeIfAbsent(combination.apply(item), k -> new ArrayList<>()).add(item);
        List<List<T>> queues = new ArrayList<>();
        List<String> keys = new ArrayList<>(groups.keySet());
        keys.sort(null);
        for (String key : keys) {
            List<T> group = groups.get(key);
            java.util.Collections.shuffle(group, random);
            queues.add(group);
        }
        java.util.Collections.shuffle(queues, random);
        List<T> out = new ArrayList<>();
        int round = 0;
        int target = Math.min(size, sorted.size());
        while (out.size() < target) {
            for (List<T> q : queues) {
                if (out.size() >= target) break;
                if (round < q.size()) out.add(q.get(round));
            }
            round++;
        }
        java.util.Collections.shuffle(out, random);
        return out;
    }
}

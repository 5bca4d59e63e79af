package dev.brun.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares a number of expansion variations out over combinations by quality tier: in proportion to each tier's
 * weight (largest remainders first, so the total is exact), no combination above {@value #CAP_OVER_EVEN} times
 * the even share. What the cap or the tiers leave unshared stays for fill, which plans the gaps.
 */
public final class TierShares {
    public static final double CAP_OVER_EVEN = 2.0;

    /** The variations of one combination: its tier, its share, and the even share it would have had. */
    public record Share(Combination combination, QualityTier tier, int variations, int evenShare) {
        public boolean changed() { return variations != evenShare; }
    }

    /** The shares, and the variations nobody received. */
    public record Result(List<Share> shares, int total, int unshared) {
        public int shared() { return total - unshared; }
    }

    private TierShares() {}

    /** @param tiers every combination of the matrix with its tier, in matrix order */
    public static Result share(Map<Combination, QualityTier> tiers, int total) {
        int n = tiers.size();
        if (n == 0 || total <= 0) return new Result(List.of(), Math.max(0, total), Math.max(0, total));
        double even = (double) total / n;
        int cap = (int) Math.ceil(even * CAP_OVER_EVEN);
        List<Combination> combos = new ArrayList<>(tiers.keySet());
        int[] evenShares = new int[n];
        for (int i = 0; i < n; i++) evenShares[i] = (int) (Math.floor((double) total * (i + 1) / n) - Math.floor((double) total * i / n));
        int[] got = new int[n];
        int left = total;
        // water-filling: share what is left among those under the cap until nothing is left or everyone is full
        while (left > 0) {
            double weights = 0;
            for (int i = 0; i < n; i++) if (got[i] < cap) weights += tiers.get(combos.get(i)).weight;
            if (weights == 0) break;
            double[] exact = new double[n];
            int given = 0;
            for (int i = 0; i < n; i++) {
                double w = got[i] < cap ? tiers.get(combos.get(i)).weight : 0;
                exact[i] = Math.min(cap - got[i], left * w / weights);
                int whole = (int) Math.floor(exact[i]);
                got[i] += whole;
                given += whole;
                exact[i] -= whole;
            }
            int rest = left - given;
            // the largest remainders take the units that rounding down left over, in matrix order among equals
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) if (exact[i] > 1e-9 && got[i] < cap) order.add(i);
            order.sort((a, b) -> Double.compare(exact[b], exact[a]));
            int handed = 0;
            for (int i : order) {
                if (handed == rest) break;
                got[i]++;
                handed++;
            }
            left -= given + handed;
            if (given == 0 && handed == 0) break;
        }
        Map<Combination, Share> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) out.put(combos.get(i), new Share(combos.get(i), tiers.get(combos.get(i)), got[i], evenShares[i]));
        return new Result(new ArrayList<>(out.values()), total, left);
    }
}

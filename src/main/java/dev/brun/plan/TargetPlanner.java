package dev.brun.plan;

import dev.brun.llm.CacheTtl;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns "N usable conversations" into units: every combination once as a seed, an edge allowance, and the
 * expansion in between, spread evenly over the combinations and topped up until every per-dimension minimum
 * is expected to be met at the usable share. Then prices the plan per strategy, step by step as the
 * walkthrough runs it (seeds one by one with caching, expansion and edge through Message Batches).
 */
public final class TargetPlanner {
    /** Meta keys: what plan --target recorded, for expand --per-combination auto and fill. */
    public static final String TARGET_KEY = "plan.target";
    public static final String STRATEGY_KEY = "plan.strategy";
    public static final String EXPANSION_UNITS_KEY = "plan.target.expansion_units";
    public static final String EDGE_UNITS_KEY = "plan.target.edge_units";

    /** The usable share assumed before enough conversations are stored to measure it. */
    public static final double DEFAULT_USABLE_SHARE = 0.9;
    /** Conversations stored before the measured usable share replaces the default. */
    public static final int MEASURED_AFTER = 20;
    /** The share of the conversations a plan keeps for edge cases (the seed document: 150 of 1,500). */
    public static final double EDGE_SHARE = 0.10;

    /** The share of generated conversations expected to be usable, and where the figure comes from. */
    public record UsableShare(double value, long usable, long stored, boolean measured) {
        public static UsableShare of(long usable, long stored) {
            if (stored < MEASURED_AFTER || usable == 0) return new UsableShare(DEFAULT_USABLE_SHARE, usable, stored, false);
            return new UsableShare((double) usable / stored, usable, stored, true);
        }

        public String describe() {
            return measured ? String.format("%.0f%% usable, measured on the %d conversations stored so far", value * 100, stored)
                    : String.format("%.0f%% usable, a default until %d conversations are stored (%d so far)", value * 100, MEASURED_AFTER, stored);
        }
    }

    /** The units of a target plan, per phase, and what they are expected to cover. */
    public record TargetPlan(int target, UsableShare share, long conversationsNeeded, List<PlannedUnit> seeds,
                             List<PlannedUnit> expansion, List<PlannedUnit> edge, List<ExpectedCoverage.Row> coverage) {
        public List<PlannedUnit> all() {
            List<PlannedUnit> all = new ArrayList<>(seeds);
            all.addAll(expansion);
            all.addAll(edge);
            return all;
        }

        public boolean meetsMinimums() { return coverage.stream().allMatch(ExpectedCoverage.Row::met); }

        public long expectedUsable() { return (long) Math.floor(all().size() * share.value() + 1e-9); }

        /** Combinations and their expansion variations, for sharing the target out by tier later. */
        public int expansionUnits() { return expansion.size(); }
    }

    /** One step of the walkthrough: its units, model, how it runs, what it should cost and the most it can reserve. */
    public record Step(Phase phase, String model, int units, boolean batch, double expectedUsd, double worstCaseUsd) {}

    /** A plan priced for one strategy: the estimate (plain, cached, batched), the steps, and the budget it needs. */
    public record CostedPlan(Strategy strategy, Map<Phase, String> models, Estimate estimate, List<Step> steps) {
        /** What the plan should cost run as the walkthrough runs it. */
        public double expectedUsd() { return steps.stream().mapToDouble(Step::expectedUsd).sum(); }

        /**
         * The smallest budget cap that never stops the plan: at each step, what the steps before it spent plus
         * what the step reserves at once (a batch reserves every request's worst case until it settles; a run one
         * by one its expected cost plus one call's worst case in flight).
         */
        public double budgetNeeded() {
            double before = 0, needed = 0;
            for (Step s : steps) {
                double room = s.batch() ? s.worstCaseUsd() : s.expectedUsd() + (s.units() == 0 ? 0 : s.worstCaseUsd() / s.units());
                needed = Math.max(needed, before + room);
                before += s.expectedUsd();
            }
            return needed;
        }

        /** The first step a budget of cap dollars (spent already counted in) would stop, or null when it fits. */
        public Step stoppedBy(double cap, double spent) {
            double before = spent;
            for (Step s : steps) {
                double room = s.batch() ? s.worstCaseUsd() : s.expectedUsd();
                if (before + room > cap + 1e-9) return s;
                before += s.expectedUsd();
            }
            return null;
        }
    }

    private final Pack pack;
    private final CoverageMatrix matrix;

    public TargetPlanner(Pack pack) {
        this.pack = pack;
        this.matrix = new CoverageMatrix(pack);
    }

    public TargetPlan plan(int target, UsableShare share) {
        List<Combination> combos = matrix.combinations(PlanFilter.ALL);
        long needed = (long) Math.ceil(target / share.value() - 1e-9);
        List<PlannedUnit> seeds = matrix.units(Phase.SEED, combos, 0, 1);
        long rest = Math.max(0, needed - seeds.size());
        long edgeCount = Math.min(rest, Math.round(needed * EDGE_SHARE));
        long expansionCount = rest - edgeCount;
        List<PlannedUnit> expansion = spread(Phase.EXPANSION, combos, expansionCount);
        List<PlannedUnit> edge = spread(Phase.EDGE, combos, edgeCount);
        List<PlannedUnit> all = new ArrayList<>(seeds);
        all.addAll(expansion);
        all.addAll(edge);
        expansion = new ArrayList<>(expansion);
        topUp(combos, all, expansion, share.value());
        ExpectedCoverage coverage = new ExpectedCoverage(pack);
        List<PlannedUnit> planned = new ArrayList<>(seeds);
        planned.addAll(expansion);
        planned.addAll(edge);
        return new TargetPlan(target, share, needed, seeds, List.copyOf(expansion), edge, coverage.rows(planned, share.value()));
    }

    /**
     * count units of a phase over the combinations as evenly as possible: each gets the same number, and the
     * remainder goes to combinations at even strides through the matrix, so personas, arcs and topics share it.
     */
    List<PlannedUnit> spread(Phase phase, List<Combination> combos, long count) {
        int n = combos.size();
        if (n == 0 || count == 0) return List.of();
        long base = count / n;
        int remainder = (int) (count % n);
        int[] per = new int[n];
        java.util.Arrays.fill(per, (int) base);
        for (int i = 0; i < remainder; i++) per[(int) ((long) i * n / remainder)]++;
        List<PlannedUnit> out = new ArrayList<>();
        for (int c = 0; c < n; c++) out.addAll(matrix.units(phase, List.of(combos.get(c)), 0, per[c]));
        return out;
    }

    /** Adds expansion units where a minimum is still expected to fall short: the combination helping most lacking keys first. */
    private void topUp(List<Combination> combos, List<PlannedUnit> all, List<PlannedUnit> expansion, double share) {
        ExpectedCoverage coverage = new ExpectedCoverage(pack);
        Map<String, Map<String, Long>> lacking = coverage.lacking(all, share);
        Map<String, Integer> nextVariation = new HashMap<>();
        for (PlannedUnit u : expansion) nextVariation.merge(u.combination(), u.variationIndex() + 1, Math::max);
        Map<String, Integer> uses = new HashMap<>();
        while (lacking.values().stream().anyMatch(m -> m.values().stream().anyMatch(v -> v > 0))) {
            Combination best = null;
            long bestScore = Long.MIN_VALUE;
            for (Combination c : combos) {
                long p = lacking.get("persona").getOrDefault(c.personaKey(), 0L);
                long a = lacking.get("arc").getOrDefault(c.arcKey(), 0L);
                long t = lacking.get("topic").getOrDefault(c.topicKey(), 0L);
                int helped = (p > 0 ? 1 : 0) + (a > 0 ? 1 : 0) + (t > 0 ? 1 : 0);
                if (helped == 0) continue;
                long score = helped * 1_000_000_000L + (p + a + t) * 1000L - uses.getOrDefault(c.key(), 0);
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            if (best == null) return; // a lacking key lives only in excluded combinations
            uses.merge(best.key(), 1, Integer::sum);
            int v = nextVariation.getOrDefault(best.key(), 0);
            nextVariation.put(best.key(), v + 1);
            expansion.add(new PlannedUnit(UnitKeys.of(pack.hash(), Phase.EXPANSION, best.personaKey(), best.arcKey(), best.topicKey(), v),
                    pack.hash(), Phase.EXPANSION, best.personaKey(), best.arcKey(), best.topicKey(), v));
            lacking.get("persona").merge(best.personaKey(), -1L, Long::sum);
            lacking.get("arc").merge(best.arcKey(), -1L, Long::sum);
            lacking.get("topic").merge(best.topicKey(), -1L, Long::sum);
        }
    }

    /** Prices a plan for one strategy with the estimator and the price table. */
    public CostedPlan cost(TargetPlan plan, Strategy strategy, Map<Phase, String> models, CostEstimator estimator, PriceTable prices) {
        Estimate estimate = estimator.estimate(plan.all(), models);
        List<Step> steps = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            List<PlannedUnit> units = switch (phase) {
                case SEED -> plan.seeds();
                case EXPANSION -> plan.expansion();
                case EDGE -> plan.edge();
            };
            if (units.isEmpty()) continue;
            EstimateLine line = estimate.lines().stream().filter(l -> l.phase().equals(phase.wire())).findFirst().orElseThrow();
            boolean batch = phase != Phase.SEED; // seeds are read before anything builds on them; the rest can wait for a batch
            long maxTokens = 0;
            for (PlannedUnit u : units) maxTokens += OutputBudget.maxTokens(pack.arc(u.arcKey()).orElseThrow());
            CacheTtl ttl = CacheTtl.fromWire(batch ? line.batchCacheTtl() : line.cacheTtl()).orElse(CacheTtl.FIVE_MINUTES);
            double worst = prices.worstCase(line.model(), line.promptTokens(), maxTokens, ttl) * (batch ? PriceTable.BATCH : 1);
            steps.add(new Step(phase, line.model(), units.size(), batch, batch ? line.costCachedBatch() : line.costCached(), worst));
        }
        return new CostedPlan(strategy, models, estimate, steps);
    }
}

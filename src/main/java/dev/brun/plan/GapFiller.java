package dev.brun.plan;

import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.store.ConversationFilter;
import dev.brun.store.Database;
import dev.brun.store.UnitRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Plans the edge phase: exactly the units the coverage minimums still lack. What counts toward a minimum is
 * a usable conversation (stored, not rejected, no error flag) or a unit still waiting to be generated;
 * failed units, rejected and error-flagged conversations do not. Each new unit counts for its persona, its
 * arc and its topic at once, so the planner picks, one unit at a time, the allowed combination that helps the
 * most dimensions that still lack, then the largest shortfalls, then the combination it has used least.
 */
public final class GapFiller {
    /** One key of one dimension: its minimum, what it has, and what is still lacking before this plan. */
    public record Need(String dimension, String key, int minimum, long usable, long open, long lacking) {}

    /** The needs, the units that close them, and how many of the new units each need receives. */
    public record Fill(List<Need> needs, List<PlannedUnit> units, int forTarget) {
        public Fill(List<Need> needs, List<PlannedUnit> units) { this(needs, units, 0); }

        /** Units the needs call for at the least: the largest total shortfall of any one dimension. */
        public long fewestUnits() {
            Map<String, Long> byDimension = new HashMap<>();
            needs.forEach(n -> byDimension.merge(n.dimension(), n.lacking(), Long::sum));
            return byDimension.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private final Pack pack;

    public GapFiller(Pack pack) { this.pack = pack; }

    /** The fill for a project's database: usable conversations and open (pending or leased) units as they stand. */
    public Fill plan(Database db) {
        Map<String, Map<String, Long>> usable = new HashMap<>();
        for (Coverage.Row r : Coverage.of(pack, db).rows())
            usable.computeIfAbsent(r.dimension(), k -> new HashMap<>()).put(r.key(), r.usable());
        Map<String, Map<String, Long>> open = new HashMap<>();
        List<UnitRecord> waiting = new ArrayList<>(db.units().pending(null));
        waiting.addAll(db.units().leased());
        for (UnitRecord u : waiting) {
            open.computeIfAbsent("persona", k -> new HashMap<>()).merge(u.personaKey(), 1L, Long::sum);
            open.computeIfAbsent("arc", k -> new HashMap<>()).merge(u.arcKey(), 1L, Long::sum);
            open.computeIfAbsent("topic", k -> new HashMap<>()).merge(u.topicKey(), 1L, Long::sum);
        }
        return plan(usable, open, key -> db.units().find(key).isPresent());
    }

    /**
     * The fill for the minimums, then, when a target is recorded (plan --target), edge units until the usable
     * conversations, with what is waiting and the fill at the usable share, reach the target. Those go to the
     * combinations with the fewest units so far, so the extra spreads over the matrix.
     */
    public Fill plan(Database db, int target, double usableShare) {
        Fill base = plan(db);
        long usable = db.conversations().count(ConversationFilter.all().usable());
        long open = db.units().pending(null).size() + db.units().leased().size();
        double expected = usable + (open + base.units().size()) * usableShare;
        if (expected >= target) return base;
        long extra = (long) Math.ceil((target - expected) / usableShare - 1e-9);
        Map<String, Long> perCombination = new HashMap<>();
        for (dev.brun.store.UnitRecord u : db.units().all())
            if (u.state() != dev.brun.store.UnitState.FAILED) perCombination.merge(u.personaKey() + "|" + u.arcKey() + "|" + u.topicKey(), 1L, Long::sum);
        for (PlannedUnit u : base.units()) perCombination.merge(u.combination(), 1L, Long::sum);
        List<Combination> combos = new ArrayList<>(new CoverageMatrix(pack).combinations(PlanFilter.ALL));
        combos.sort(java.util.Comparator.comparingLong(c -> perCombination.getOrDefault(c.key(), 0L))); // stable: matrix order among equals
        List<PlannedUnit> units = new ArrayList<>(base.units());
        java.util.Set<String> taken = new java.util.HashSet<>();
        units.forEach(u -> taken.add(u.key()));
        for (long i = 0; i < extra && !combos.isEmpty(); i++) {
            Combination c = combos.get((int) (i % combos.size()));
            int v = 0;
            String key;
            while (taken.contains(key = UnitKeys.of(pack.hash(), Phase.EDGE, c.personaKey(), c.arcKey(), c.topicKey(), v))
                    || db.units().find(key).isPresent()) v++;
            taken.add(key);
            units.add(new PlannedUnit(key, pack.hash(), Phase.EDGE, c.personaKey(), c.arcKey(), c.topicKey(), v));
        }
        return new Fill(base.needs(), units, (int) extra);
    }

    /**
     * @param usable   usable conversations per dimension ("persona", "arc", "topic") and key
     * @param open     units still pending or leased, per dimension and key
     * @param keyTaken whether a unit key is already planned (new units take the next free variation index)
     */
    public Fill plan(Map<String, Map<String, Long>> usable, Map<String, Map<String, Long>> open, Predicate<String> keyTaken) {
        List<Need> needs = new ArrayList<>();
        Map<String, Map<String, Long>> remaining = new LinkedHashMap<>();
        addNeeds(needs, remaining, "persona", pack.personas().stream().map(p -> p.key()).toList(), pack.rules().minimums().perPersona(), usable, open);
        addNeeds(needs, remaining, "arc", pack.arcs().stream().map(a -> a.key()).toList(), pack.rules().minimums().perArc(), usable, open);
        addNeeds(needs, remaining, "topic", pack.topics().stream().map(t -> t.key()).toList(), pack.rules().minimums().perTopic(), usable, open);
        List<Combination> combos = new CoverageMatrix(pack).combinations(PlanFilter.ALL);
        Map<String, Integer> uses = new HashMap<>();
        Map<String, Integer> nextVariation = new HashMap<>();
        List<PlannedUnit> units = new ArrayList<>();
        while (anyLacking(remaining)) {
            Combination best = null;
            long bestScore = Long.MIN_VALUE;
            for (Combination c : combos) {
                long p = remaining.get("persona").getOrDefault(c.personaKey(), 0L);
                long a = remaining.get("arc").getOrDefault(c.arcKey(), 0L);
                long t = remaining.get("topic").getOrDefault(c.topicKey(), 0L);
                int helped = (p > 0 ? 1 : 0) + (a > 0 ? 1 : 0) + (t > 0 ? 1 : 0);
                if (helped == 0) continue;
                long score = helped * 1_000_000_000L + (Math.max(p, 0) + Math.max(a, 0) + Math.max(t, 0)) * 1000L - uses.getOrDefault(c.key(), 0);
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            if (best == null) break; // every lacking key sits only in excluded combinations
            uses.merge(best.key(), 1, Integer::sum);
            remaining.get("persona").merge(best.personaKey(), -1L, Long::sum);
            remaining.get("arc").merge(best.arcKey(), -1L, Long::sum);
            remaining.get("topic").merge(best.topicKey(), -1L, Long::sum);
            int v = nextVariation.getOrDefault(best.key(), 0);
            String key;
            while (keyTaken.test(key = UnitKeys.of(pack.hash(), Phase.EDGE, best.personaKey(), best.arcKey(), best.topicKey(), v))) v++;
            nextVariation.put(best.key(), v + 1);
            units.add(new PlannedUnit(key, pack.hash(), Phase.EDGE, best.personaKey(), best.arcKey(), best.topicKey(), v));
        }
        return new Fill(needs, units);
    }

    /** A cell an evaluation found weak: dimension persona, arc, topic or stage, its key and its eval score. */
    public record WeakCell(String dimension, String key, double score) {}

    /** The edge units planned for weak cells. */
    public record CellFill(List<WeakCell> cells, List<PlannedUnit> units) {}

    /**
     * Plans {@code perCell} edge units for each weak cell, in allowed combinations that hold it (a stage is held by
     * the arcs that pass through it). Among those, a combination that holds more of the weak cells comes first, so
     * that one unit serves a weak persona and a weak topic at once, then the one used least, so the units spread.
     */
    public CellFill planForCells(List<WeakCell> cells, int perCell, Predicate<String> keyTaken) {
        List<Combination> combos = new CoverageMatrix(pack).combinations(PlanFilter.ALL);
        Map<String, Integer> uses = new HashMap<>();
        Map<String, Integer> nextVariation = new HashMap<>();
        List<PlannedUnit> units = new ArrayList<>();
        for (WeakCell cell : cells) {
            List<Combination> holding = combos.stream().filter(c -> holds(c, cell)).toList();
            if (holding.isEmpty()) continue; // a key the pack no longer has, or only in excluded combinations
            for (int i = 0; i < perCell; i++) {
                Combination best = null;
                long bestScore = Long.MIN_VALUE;
                for (Combination c : holding) {
                    long helped = cells.stream().filter(w -> holds(c, w)).count();
                    long score = helped * 1_000_000L - uses.getOrDefault(c.key(), 0);
                    if (score > bestScore) { bestScore = score; best = c; }
                }
                uses.merge(best.key(), 1, Integer::sum);
                int v = nextVariation.getOrDefault(best.key(), 0);
                String key;
                while (keyTaken.test(key = UnitKeys.of(pack.hash(), Phase.EDGE, best.personaKey(), best.arcKey(), best.topicKey(), v))) v++;
                nextVariation.put(best.key(), v + 1);
                units.add(new PlannedUnit(key, pack.hash(), Phase.EDGE, best.personaKey(), best.arcKey(), best.topicKey(), v));
            }
        }
        return new CellFill(List.copyOf(cells), units);
    }

    private boolean holds(Combination c, WeakCell cell) {
        return switch (cell.dimension()) {
            case "persona" -> c.personaKey().equals(cell.key());
            case "arc" -> c.arcKey().equals(cell.key());
            case "topic" -> c.topicKey().equals(cell.key());
            case "stage" -> pack.arc(c.arcKey()).map(a -> a.stageKeys().contains(cell.key())).orElse(false);
            default -> false;
        };
    }

    private static void addNeeds(List<Need> needs, Map<String, Map<String, Long>> remaining, String dimension, List<String> keys,
                                 int minimum, Map<String, Map<String, Long>> usable, Map<String, Map<String, Long>> open) {
        Map<String, Long> left = new LinkedHashMap<>();
        for (String k : keys) {
            long u = usable.getOrDefault(dimension, Map.of()).getOrDefault(k, 0L);
            long o = open.getOrDefault(dimension, Map.of()).getOrDefault(k, 0L);
            long lacking = Math.max(0, minimum - u - o);
            needs.add(new Need(dimension, k, minimum, u, o, lacking));
            left.put(k, lacking);
        }
        remaining.put(dimension, left);
    }

    private static boolean anyLacking(Map<String, Map<String, Long>> remaining) {
        return remaining.values().stream().anyMatch(m -> m.values().stream().anyMatch(v -> v > 0));
    }
}

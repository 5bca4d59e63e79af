package dev.brun.plan;

import dev.brun.pack.Pack;
import dev.brun.store.ConversationFilter;
import dev.brun.store.Database;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Coverage of the pack's minimums per persona, arc and topic: units planned (not failed) and usable
 * conversations (not rejected, no error flag), and how many are still missing from each.
 */
public record Coverage(List<Row> rows) {
    public record Row(String dimension, String key, long planned, long usable, int minimum) {
        /** Still to plan: the minimum minus what is planned (never negative). */
        public long missingFromPlan() { return Math.max(0, minimum - planned); }

        /** Still to produce: the minimum minus usable conversations. */
        public long missingUsable() { return Math.max(0, minimum - usable); }
    }

    public static Coverage of(Pack pack, Database db) {
        List<Row> rows = new ArrayList<>();
        add(rows, "persona", pack.personas().stream().map(p -> p.key()).toList(), pack.rules().minimums().perPersona(), db,
                db.units().plannedBy("persona"), k -> ConversationFilter.all().persona(k));
        add(rows, "arc", pack.arcs().stream().map(a -> a.key()).toList(), pack.rules().minimums().perArc(), db,
                db.units().plannedBy("arc"), k -> ConversationFilter.all().arc(k));
        add(rows, "topic", pack.topics().stream().map(t -> t.key()).toList(), pack.rules().minimums().perTopic(), db,
                db.units().plannedBy("topic"), k -> ConversationFilter.all().topic(k));
        return new Coverage(rows);
    }

    private static void add(List<Row> rows, String dimension, List<String> keys, int minimum, Database db,
                            Map<String, Long> planned, java.util.function.Function<String, ConversationFilter> filter) {
        for (String k : keys)
            rows.add(new Row(dimension, k, planned.getOrDefault(k, 0L), db.conversations().count(filter.apply(k).usable()), minimum));
    }

    public long missingFromPlan() { return rows.stream().mapToLong(Row::missingFromPlan).sum(); }
}

package dev.brun.web;

import dev.brun.store.Database;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's aggregates, each one GROUP BY query, so the page stays fast at 50,000 conversations.
 * "Usable" means what the store means by it: not rejected and without an error-severity flag.
 */
final class DashboardQueries {
    private static final String USABLE = "COALESCE(r.status, 'pending') <> 'rejected' AND NOT EXISTS"
            + " (SELECT 1 FROM quality_flags f WHERE f.conversation_id = c.id AND f.severity = 'error')";
    /** Score columns a histogram may be asked for; names never come from a request. */
    static final Map<String, String> SCORE_COLUMNS = scoreColumns();

    private final Database db;

    DashboardQueries(Database db) { this.db = db; }

    /** persona|arc → count; usableOnly restricts to usable conversations. */
    Map<String, Long> byPersonaAndArc(boolean usableOnly) {
        return db.jdbi().withHandle(h -> {
            Map<String, Long> out = new LinkedHashMap<>();
            h.createQuery("SELECT c.persona_key, c.arc_key, COUNT(*) AS n FROM conversations c"
                            + " LEFT JOIN reviews r ON r.conversation_id = c.id"
                            + (usableOnly ? " WHERE " + USABLE : "") + " GROUP BY c.persona_key, c.arc_key")
                    .map((rs, ctx) -> Map.entry(Coverage.key(rs.getString(1), rs.getString(2)), rs.getLong("n")))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** persona|arc|topic → usable count, for the Generate page's gaps. */
    Map<String, Long> usableByCombination() {
        return db.jdbi().withHandle(h -> {
            Map<String, Long> out = new LinkedHashMap<>();
            h.createQuery("SELECT c.persona_key, c.arc_key, c.topic_key, COUNT(*) AS n FROM conversations c"
                            + " LEFT JOIN reviews r ON r.conversation_id = c.id WHERE " + USABLE
                            + " GROUP BY c.persona_key, c.arc_key, c.topic_key")
                    .map((rs, ctx) -> Map.entry(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3), rs.getLong("n")))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** topic → {usable, total} for one persona × arc cell. */
    Map<String, long[]> topicsOf(String persona, String arc) {
        return db.jdbi().withHandle(h -> {
            Map<String, long[]> out = new LinkedHashMap<>();
            h.createQuery("SELECT c.topic_key, COUNT(*) AS n, SUM(CASE WHEN " + USABLE + " THEN 1 ELSE 0 END) AS u"
                            + " FROM conversations c LEFT JOIN reviews r ON r.conversation_id = c.id"
                            + " WHERE c.persona_key = :p AND c.arc_key = :a GROUP BY c.topic_key")
                    .bind("p", persona).bind("a", arc)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), new long[]{rs.getLong("u"), rs.getLong("n")}))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** Half-point buckets 1.0 … 5.0 of one score column → count. */
    Map<Double, Long> histogram(String scoreColumn) {
        String column = SCORE_COLUMNS.get(scoreColumn);
        if (column == null) throw new IllegalArgumentException("no score column " + scoreColumn);
        return db.jdbi().withHandle(h -> {
            Map<Double, Long> buckets = new TreeMap<>();
            for (double b = 1.0; b <= 5.0; b += 0.5) buckets.put(b, 0L);
            h.createQuery("SELECT " + column + " AS v, COUNT(*) AS n FROM scores GROUP BY " + column)
                    .map((rs, ctx) -> Map.entry(rs.getDouble("v"), rs.getLong("n")))
                    .forEach(e -> buckets.merge(bucket(e.getKey()), e.getValue(), Long::sum));
            return buckets;
        });
    }

    long scored() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM scores").mapTo(Long.class).one());
    }

    /** Review status → count (conversations without a review row are pending). */
    Map<String, Long> byStatus() {
        return db.jdbi().withHandle(h -> {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String s : List.of("pending", "approved", "rejected", "accepted")) out.put(s, 0L);
            h.createQuery("SELECT COALESCE(r.status, 'pending') AS s, COUNT(*) AS n FROM conversations c"
                            + " LEFT JOIN reviews r ON r.conversation_id = c.id GROUP BY COALESCE(r.status, 'pending')")
                    .map((rs, ctx) -> Map.entry(rs.getString("s"), rs.getLong("n")))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    static double bucket(double value) {
        double b = Math.floor(value * 2) / 2;
        return Math.max(1.0, Math.min(5.0, b));
    }

    private static Map<String, String> scoreColumns() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("overall", "overall");
        m.put("empathy", "empathy");
        m.put("clarity", "clarity");
        m.put("appropriateness", "appropriateness");
        m.put("brand voice", "brand_voice");
        return m;
    }
}

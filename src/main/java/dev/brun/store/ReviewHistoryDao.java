package dev.brun.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jdbi.v3.core.Jdbi;

/**
 * Reads what people decided, for calibrating automated signals against them and for measuring reviewers:
 * final verdicts with the signals beside them, and each reviewer's own latest verdict from the review log.
 */
public final class ReviewHistoryDao {
    /** The name recorded when an action carries no reviewer (written before reviewers were named). */
    public static final String UNNAMED = "(unnamed)";

    private final Jdbi jdbi;

    ReviewHistoryDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Every conversation whose final status a person set to approved or rejected, oldest id first. */
    public List<ReviewedConversation> reviewed() {
        return jdbi.withHandle(h -> {
            Map<String, Set<String>> codes = new HashMap<>();
            h.createQuery("""
                            SELECT DISTINCT f.conversation_id, f.code FROM quality_flags f
                            JOIN reviews r ON r.conversation_id = f.conversation_id
                            WHERE f.severity = 'error' AND r.status IN ('approved', 'rejected')""")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> codes.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
            return h.createQuery("""
                            SELECT r.conversation_id, r.status, s.overall, s.method,
                                   (SELECT COUNT(*) FROM turn_edits e WHERE e.conversation_id = r.conversation_id) AS edits
                            FROM reviews r LEFT JOIN scores s ON s.conversation_id = r.conversation_id
                            WHERE r.status IN ('approved', 'rejected') ORDER BY r.conversation_id""")
                    .map((rs, ctx) -> {
                        String id = rs.getString("conversation_id");
                        boolean defect = "rejected".equals(rs.getString("status")) || rs.getLong("edits") > 0;
                        double overall = rs.getDouble("overall");
                        Double score = rs.wasNull() ? null : overall;
                        return new ReviewedConversation(id, defect, codes.getOrDefault(id, Set.of()), score, rs.getString("method"));
                    })
                    .list();
        });
    }

    /** Every error-severity flag code present in the project, whether or not a reviewed conversation carries it. */
    public List<String> errorCodes() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT code FROM quality_flags WHERE severity = 'error' ORDER BY code")
                .mapTo(String.class).list());
    }

    /**
     * Each reviewer's latest approve/reject verdict per conversation (a verdict set back to pending counts as
     * none), ordered by conversation then reviewer. Edits count for the reviewer who made them.
     */
    public List<ReviewerDecision> decisionsByReviewer() {
        record Act(String conversationId, String action, String detail, String actor, java.time.Instant at) {}
        List<Act> acts = jdbi.withHandle(h -> h.createQuery("""
                        SELECT conversation_id, action, detail, actor, at FROM review_actions
                        WHERE action IN ('status', 'edit') ORDER BY at, id""")
                .map((rs, ctx) -> new Act(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4) == null ? UNNAMED : rs.getString(4), Times.instant(rs, "at")))
                .list());
        Map<List<String>, Act> lastStatus = new TreeMap<>((a, b) -> {
            int c = a.get(0).compareTo(b.get(0));
            return c != 0 ? c : a.get(1).compareTo(b.get(1));
        });
        Set<List<String>> edited = new HashSet<>();
        for (Act a : acts) {
            List<String> key = List.of(a.conversationId(), a.actor());
            if ("edit".equals(a.action())) edited.add(key);
            else lastStatus.put(key, a);
        }
        List<ReviewerDecision> out = new ArrayList<>();
        lastStatus.forEach((key, a) -> {
            boolean approved = "approved".equals(a.detail());
            boolean rejected = "rejected".equals(a.detail());
            if (!approved && !rejected) return;
            out.add(new ReviewerDecision(key.get(0), key.get(1), approved, rejected || edited.contains(key), a.at()));
        });
        return out;
    }

    /**
     * Where a conversation stands in the unfiltered review order (created, then id: the order of the review page),
     * so a disagreement can be opened for its third decision; empty when there is no such conversation.
     */
    public java.util.Optional<Long> reviewPosition(String conversationId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT (SELECT COUNT(*) FROM conversations o
                                WHERE o.created_at < c.created_at OR (o.created_at = c.created_at AND o.id < c.id))
                        FROM conversations c WHERE c.id = :id""")
                .bind("id", conversationId).mapTo(Long.class).findOne());
    }

    /** Per reviewer (by name): decisions, approvals, rejections (latest verdicts) and conversations edited. */
    public List<ReviewerProgress> progressByReviewer() {
        Map<String, int[]> counts = new TreeMap<>();
        for (ReviewerDecision d : decisionsByReviewer()) {
            int[] c = counts.computeIfAbsent(d.reviewer(), k -> new int[4]);
            c[0]++;
            c[d.approved() ? 1 : 2]++;
        }
        jdbi.withHandle(h -> h.createQuery("""
                        SELECT actor, COUNT(DISTINCT conversation_id) AS n
                        FROM review_actions WHERE action = 'edit' GROUP BY actor""")
                .map((rs, ctx) -> Map.entry(rs.getString("actor") == null ? UNNAMED : rs.getString("actor"), rs.getInt("n")))
                .list()).forEach(e -> counts.computeIfAbsent(e.getKey(), k -> new int[4])[3] = e.getValue());
        Map<String, ReviewerProgress> out = new LinkedHashMap<>();
        counts.forEach((name, c) -> out.put(name, new ReviewerProgress(name, c[0], c[1], c[2], c[3])));
        return List.copyOf(out.values());
    }
}

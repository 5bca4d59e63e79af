package dev.brun.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Review plans, their strata and members (acceptance sampling, issue 12), and the review facts a verdict needs:
 * which sampled conversations a person decided and which of those are defects.
 */
public final class ReviewPlanDao {
    /** Words of a conversation, counted as spaces + 1 per turn: the same in SQLite and PostgreSQL, and close. */
    private static final String WORDS = "(SELECT COALESCE(SUM(LENGTH(t.content) - LENGTH(REPLACE(t.content, ' ', '')) + 1), 0)"
            + " FROM turns t WHERE t.conversation_id = c.id)";

    private final Jdbi jdbi;
    private final Writes writes;

    ReviewPlanDao(Jdbi jdbi, Writes writes) {
        this.jdbi = jdbi;
        this.writes = writes;
    }

    /** A stratum to store: its key and label, sample size and every member in reading order. */
    public record NewStratum(String key, String label, int sampleSize, List<StratumMember> members) {}

    /** Parameters of a plan to store. */
    public record NewPlan(String strataBy, double defectRate, double confidence, int acceptDefects, long seed, double overlap) {}

    public Optional<ReviewPlanRecord> openPlan() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM review_plans WHERE state = 'open' ORDER BY id DESC LIMIT 1")
                .map((rs, ctx) -> plan(rs)).findOne());
    }

    public Optional<ReviewPlanRecord> plan(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM review_plans WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> plan(rs)).findOne());
    }

    /**
     * Conversations a plan may take: pending (not approved, rejected or accepted), without an error flag, and
     * in no stratum of the given plan (null: of any open plan). Id order, so a seed gives the same draw.
     */
    public List<ReviewCandidate> candidates(Long planId) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT c.id, c.phase, COALESCE(g.model, c.model, '') AS model, c.persona_key, c.arc_key,"
                    + " c.topic_key, " + WORDS + " AS words"
                    + " FROM conversations c LEFT JOIN reviews r ON r.conversation_id = c.id"
                    + " LEFT JOIN generations g ON g.conversation_id = c.id"
                    + " WHERE COALESCE(r.status, 'pending') = 'pending'"
                    + " AND NOT EXISTS (SELECT 1 FROM quality_flags f WHERE f.conversation_id = c.id AND f.severity = 'error')"
                    + (planId == null ? "" : " AND NOT EXISTS (SELECT 1 FROM review_members m JOIN review_strata s ON s.id = m.stratum_id"
                            + " WHERE m.conversation_id = c.id AND s.plan_id = :plan)")
                    + " ORDER BY c.id");
            if (planId != null) q.bind("plan", planId);
            Map<String, String> seedGroups = LineageDao.seedGroups(h);
            return q.map((rs, ctx) -> new ReviewCandidate(rs.getString("id"), rs.getString("phase"), rs.getString("model"),
                    rs.getString("persona_key"), rs.getString("arc_key"), rs.getString("topic_key"), rs.getLong("words"),
                    seedGroups.get(rs.getString("id")))).list();
        });
    }

    /** Stores a new open plan with its strata, closing the open one first when {@code replacing}; returns its id. */
    public long createPlan(NewPlan plan, List<NewStratum> strata, boolean replacing) {
        return writes.inTransaction(h -> {
            long now = System.currentTimeMillis();
            if (replacing) h.createUpdate("UPDATE review_plans SET state = 'closed', closed_at = :at WHERE state = 'open'")
                    .bind("at", now).execute();
            long id = h.createUpdate("INSERT INTO review_plans (created_at, strata_by, defect_rate, confidence, accept_defects, seed,"
                            + " overlap, state) VALUES (:at, :by, :rate, :conf, :c, :seed, :overlap, 'open')")
                    .bind("at", now).bind("by", plan.strataBy()).bind("rate", plan.defectRate()).bind("conf", plan.confidence())
                    .bind("c", plan.acceptDefects()).bind("seed", plan.seed()).bind("overlap", plan.overlap())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            insertStrata(h, id, strata, now);
            return id;
        });
    }

    /** Adds strata (a later batch of conversations) to an existing plan. */
    public void addStrata(long planId, List<NewStratum> strata) {
        writes.useTransaction(h -> insertStrata(h, planId, strata, System.currentTimeMillis()));
    }

    private static void insertStrata(Handle h, long planId, List<NewStratum> strata, long now) {
        for (NewStratum s : strata) {
            long sid = h.createUpdate("INSERT INTO review_strata (plan_id, stratum_key, label, conversations, sample_size, created_at)"
                            + " VALUES (:plan, :key, :label, :n, :size, :at)")
                    .bind("plan", planId).bind("key", s.key()).bind("label", s.label()).bind("n", s.members().size())
                    .bind("size", s.sampleSize()).bind("at", now)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            PreparedBatch batch = h.prepareBatch("INSERT INTO review_members (stratum_id, conversation_id, position, sampled, reviewers)"
                    + " VALUES (:s, :c, :p, :sampled, :r)");
            for (StratumMember m : s.members())
                batch.bind("s", sid).bind("c", m.conversationId()).bind("p", m.position()).bind("sampled", m.sampled())
                        .bind("r", m.reviewers()).add();
            if (!s.members().isEmpty()) batch.execute();
        }
    }

    public List<StratumRecord> strata(long planId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM review_strata WHERE plan_id = :p ORDER BY id")
                .bind("p", planId).map((rs, ctx) -> stratum(rs)).list());
    }

    public Optional<StratumRecord> stratum(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM review_strata WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> stratum(rs)).findOne());
    }

    /** Every member of a stratum in reading order (the sample first), with how many people should read each. */
    public List<StratumMember> members(long stratumId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT conversation_id, position, sampled, reviewers FROM review_members"
                        + " WHERE stratum_id = :s ORDER BY position")
                .bind("s", stratumId)
                .map((rs, ctx) -> new StratumMember(rs.getString("conversation_id"), rs.getInt("position"), rs.getBoolean("sampled"),
                        rs.getInt("reviewers"))).list());
    }

    /** Words per member of a stratum, to tell reading time. */
    public Map<Boolean, Long> wordsBySampled(long stratumId) {
        return jdbi.withHandle(h -> {
            Map<Boolean, Long> out = new java.util.HashMap<>(Map.of(true, 0L, false, 0L));
            h.createQuery("SELECT m.sampled, " + WORDS + " AS words FROM review_members m JOIN conversations c ON c.id = m.conversation_id"
                            + " WHERE m.stratum_id = :s")
                    .bind("s", stratumId)
                    .map((rs, ctx) -> Map.entry(rs.getBoolean("sampled"), rs.getLong("words")))
                    .forEach(e -> out.merge(e.getKey(), e.getValue(), Long::sum));
            return out;
        });
    }

    /**
     * The sampled conversations of a stratum in reading order with what people decided. A defect is a rejection,
     * or an approval of a conversation that was edited first (here, or in another tool: the 'edited' action).
     */
    public List<SampleDecision> sampleDecisions(long stratumId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT m.conversation_id, m.position, COALESCE(r.status, 'pending') AS status, r.reviewer,
                               CASE WHEN EXISTS (SELECT 1 FROM turn_edits e WHERE e.conversation_id = m.conversation_id)
                                      OR EXISTS (SELECT 1 FROM review_actions a WHERE a.conversation_id = m.conversation_id
                                                 AND a.action = 'edited') THEN 1 ELSE 0 END AS edited
                          FROM review_members m LEFT JOIN reviews r ON r.conversation_id = m.conversation_id
                         WHERE m.stratum_id = :s AND m.sampled = TRUE
                         ORDER BY m.position""")
                .bind("s", stratumId)
                .map((rs, ctx) -> {
                    String status = rs.getString("status");
                    boolean decided = status.equals("approved") || status.equals("rejected");
                    boolean defect = status.equals("rejected") || (status.equals("approved") && rs.getInt("edited") == 1);
                    return new SampleDecision(rs.getString("conversation_id"), rs.getInt("position"), decided, defect,
                            decided ? rs.getString("reviewer") : null);
                }).list());
    }

    /** Records the verdict, counts and bound of a stratum's latest evaluation. */
    public void recordVerdict(long stratumId, String verdict, int reviewed, int defects, double upperBound) {
        writes.useTransaction(h -> h.createUpdate("UPDATE review_strata SET verdict = :v, reviewed = :r, defects = :d, upper_bound = :b,"
                        + " decided_at = CASE WHEN :v = 'open' THEN NULL ELSE COALESCE(decided_at, :at) END WHERE id = :id")
                .bind("v", verdict).bind("r", reviewed).bind("d", defects).bind("b", upperBound)
                .bind("at", System.currentTimeMillis()).bind("id", stratumId).execute());
    }

    /**
     * Gives every member of an accepted stratum that no person decided the status 'accepted' (logged as an
     * action by {@code actor}); returns how many.
     */
    public int acceptUndecided(long stratumId, String actor) {
        return writes.inTransaction(h -> {
            long now = System.currentTimeMillis();
            h.createUpdate("INSERT INTO reviews (conversation_id, status, seed, updated_at)"
                            + " SELECT m.conversation_id, 'pending', FALSE, :at FROM review_members m WHERE m.stratum_id = :s"
                            + " ON CONFLICT DO NOTHING")
                    .bind("s", stratumId).bind("at", now).execute();
            String pendingMembers = " FROM reviews r JOIN review_members m ON m.conversation_id = r.conversation_id"
                    + " WHERE m.stratum_id = :s AND r.status = 'pending'";
            h.createUpdate("INSERT INTO review_actions (conversation_id, action, detail, actor, at)"
                            + " SELECT r.conversation_id, 'status', 'accepted', :a, :at" + pendingMembers)
                    .bind("s", stratumId).bind("a", actor).bind("at", now).execute();
            return h.createUpdate("UPDATE reviews SET status = 'accepted', reviewer = :a, updated_at = :at"
                            + " WHERE status = 'pending' AND conversation_id IN (SELECT conversation_id FROM review_members WHERE stratum_id = :s)")
                    .bind("s", stratumId).bind("a", actor).bind("at", now).execute();
        });
    }

    /** Sends the 'accepted' members of a stratum whose verdict no longer holds back to pending; returns how many. */
    public int revokeAccepted(long stratumId, String actor) {
        return writes.inTransaction(h -> {
            long now = System.currentTimeMillis();
            String accepted = " FROM reviews r JOIN review_members m ON m.conversation_id = r.conversation_id"
                    + " WHERE m.stratum_id = :s AND r.status = 'accepted'";
            h.createUpdate("INSERT INTO review_actions (conversation_id, action, detail, actor, at)"
                            + " SELECT r.conversation_id, 'status', 'pending', :a, :at" + accepted)
                    .bind("s", stratumId).bind("a", actor).bind("at", now).execute();
            return h.createUpdate("UPDATE reviews SET status = 'pending', reviewer = :a, updated_at = :at"
                            + " WHERE status = 'accepted' AND conversation_id IN (SELECT conversation_id FROM review_members WHERE stratum_id = :s)")
                    .bind("s", stratumId).bind("a", actor).bind("at", now).execute();
        });
    }

    /**
     * Moves into a stratum's sample every member no person decided whose seed changed since it was generated (a
     * {@code seed_changed} flag), growing the sample size by as many: such a conversation may carry what was wrong
     * with its seed, so it is read by a person rather than certified by the others. Returns how many joined.
     */
    public int sampleSeedChanged(long stratumId) {
        return writes.inTransaction(h -> {
            int joined = h.createUpdate("""
                            UPDATE review_members SET sampled = TRUE
                             WHERE stratum_id = :s AND sampled = FALSE
                               AND EXISTS (SELECT 1 FROM quality_flags f WHERE f.conversation_id = review_members.conversation_id
                                           AND f.code = :code)
                               AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.conversation_id = review_members.conversation_id
                                               AND r.status IN ('approved', 'rejected'))""")
                    .bind("s", stratumId).bind("code", LineageDao.SEED_CHANGED).execute();
            if (joined > 0) h.createUpdate("UPDATE review_strata SET sample_size = sample_size + :n WHERE id = :s")
                    .bind("n", joined).bind("s", stratumId).execute();
            return joined;
        });
    }

    /** Ids among these that name no conversation. */
    public List<String> missing(List<String> ids) {
        if (ids.isEmpty()) return List.of();
        return jdbi.withHandle(h -> {
            var found = new java.util.HashSet<>(h.createQuery("SELECT id FROM conversations WHERE id IN (<ids>)")
                    .bindList("ids", ids).mapTo(String.class).list());
            return ids.stream().filter(id -> !found.contains(id)).distinct().toList();
        });
    }

    /** The member at a position of a stratum's reading order (only the sample, or every member), and how many there are. */
    public record Position(Optional<String> conversationId, long total) {}

    public Position memberAt(long stratumId, boolean sampleOnly, int position) {
        String where = " WHERE stratum_id = :s" + (sampleOnly ? " AND sampled = TRUE" : "");
        return jdbi.withHandle(h -> {
            long total = h.createQuery("SELECT COUNT(*) FROM review_members" + where).bind("s", stratumId).mapTo(Long.class).one();
            Optional<String> id = h.createQuery("SELECT conversation_id FROM review_members" + where
                            + " ORDER BY position LIMIT 1 OFFSET :o")
                    .bind("s", stratumId).bind("o", position).mapTo(String.class).findOne();
            return new Position(id, total);
        });
    }

    /** Decisions per person over sampled members of a plan's strata: stratum id -> reviewer -> count. */
    public Map<Long, Map<String, Integer>> decisionsByReviewer(long planId) {
        return jdbi.withHandle(h -> {
            Map<Long, Map<String, Integer>> out = new java.util.LinkedHashMap<>();
            h.createQuery("SELECT m.stratum_id, COALESCE(r.reviewer, '') AS reviewer, COUNT(*) AS n FROM review_members m"
                            + " JOIN review_strata s ON s.id = m.stratum_id JOIN reviews r ON r.conversation_id = m.conversation_id"
                            + " WHERE s.plan_id = :p AND m.sampled = TRUE AND r.status IN ('approved', 'rejected')"
                            + " GROUP BY m.stratum_id, COALESCE(r.reviewer, '') ORDER BY m.stratum_id, reviewer")
                    .bind("p", planId)
                    .map((rs, ctx) -> new Object[]{rs.getLong("stratum_id"), rs.getString("reviewer"), rs.getInt("n")})
                    .forEach(row -> out.computeIfAbsent((Long) row[0], k -> new java.util.TreeMap<>())
                            .put((String) row[1], (Integer) row[2]));
            return out;
        });
    }

    private static ReviewPlanRecord plan(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ReviewPlanRecord(rs.getLong("id"), Times.instant(rs, "created_at"), rs.getString("strata_by"),
                rs.getDouble("defect_rate"), rs.getDouble("confidence"), rs.getInt("accept_defects"), rs.getLong("seed"),
                rs.getDouble("overlap"), rs.getString("state"));
    }

    private static StratumRecord stratum(java.sql.ResultSet rs) throws java.sql.SQLException {
        double bound = rs.getDouble("upper_bound");
        Double boundOrNull = rs.wasNull() ? null : bound;
        return new StratumRecord(rs.getLong("id"), rs.getLong("plan_id"), rs.getString("stratum_key"), rs.getString("label"),
                rs.getInt("conversations"), rs.getInt("sample_size"), rs.getString("verdict"), rs.getInt("reviewed"),
                rs.getInt("defects"), boundOrNull);
    }
}

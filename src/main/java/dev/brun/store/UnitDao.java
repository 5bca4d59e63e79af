package dev.brun.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Units of work: planned idempotently, claimed with leases, finished or failed. */
public final class UnitDao {
    static final String COLUMNS = """
            unit_key, pack_hash, phase, persona_key, arc_key, topic_key, variation_index, state, attempts,
            failure_reason, failure_detail, lease_owner, lease_until, batch_id, created_at, updated_at""";

    private final Jdbi jdbi;
    private final Writes writes;
    private final Dialect dialect;

    UnitDao(Jdbi jdbi, Writes writes, Dialect dialect) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.dialect = dialect;
    }

    /** Adds the units whose key is not stored yet; returns how many were added. */
    public int insertIfAbsent(List<PlannedUnit> planned) {
        if (planned.isEmpty()) return 0;
        String sql = "INSERT INTO units (unit_key, pack_hash, phase, persona_key, arc_key, topic_key, variation_index,"
                + " state, attempts, created_at, updated_at) VALUES (:key, :packHash, :phase, :personaKey, :arcKey,"
                + " :topicKey, :variationIndex, 'pending', 0, :now, :now) ON CONFLICT DO NOTHING";
        long now = System.currentTimeMillis();
        return writes.inTransaction(h -> {
            PreparedBatch batch = h.prepareBatch(sql);
            for (PlannedUnit u : planned) {
                batch.bindMethods(u).bind("key", u.key()).bind("now", now).add();
            }
            int added = 0;
            for (int n : batch.execute()) added += Math.max(n, 0);
            return added;
        });
    }

    /**
     * Leases up to {@code limit} pending units (or units whose lease expired) to {@code owner};
     * phase null means any phase. Two claimers never receive the same unit. Within one planning round units
     * come grouped by phase, persona and arc, so calls that share a cached prompt prefix run close together.
     */
    public List<UnitRecord> claim(String owner, int limit, Duration lease, String phase) {
        // units whose lease ran out first: they were started before anything still pending
        String expired = dialect.claimUnits(COLUMNS, phase != null, true);
        String pending = dialect.claimUnits(COLUMNS, phase != null, false);
        return writes.inTransaction(h -> {
            List<UnitRecord> claimed = new ArrayList<>(lease(h, expired, owner, limit, lease, phase));
            if (claimed.size() < limit) claimed.addAll(lease(h, pending, owner, limit - claimed.size(), lease, phase));
            return claimed;
        }).stream().sorted(Comparator.comparing(UnitRecord::createdAt).thenComparing(UnitRecord::phase)
                .thenComparing(UnitRecord::personaKey).thenComparing(UnitRecord::arcKey).thenComparing(UnitRecord::key)).toList();
    }

    /**
     * Leases up to {@code limit} pending units spread over the matrix (see {@link Dialect#claimSpreadUnit}):
     * one at a time inside one transaction, so each choice sees the ones before it. For trial runs
     * ({@code generate --sample}): it reads the whole queue per unit, where {@link #claim} walks an index.
     */
    public List<UnitRecord> claimSpread(String owner, int limit, Duration lease, String phase) {
        String sql = dialect.claimSpreadUnit(COLUMNS, phase != null);
        return writes.inTransaction(h -> {
            List<UnitRecord> claimed = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                List<UnitRecord> one = lease(h, sql, owner, 1, lease, phase);
                if (one.isEmpty()) break;
                claimed.addAll(one);
            }
            return claimed;
        });
    }

    private List<UnitRecord> lease(Handle h, String sql, String owner, int limit, Duration lease, String phase) {
        var update = h.createQuery(sql)
                .bind("owner", owner)
                .bind("leaseMillis", lease.toMillis())
                .bind("limit", limit);
        if (phase != null) update.bind("phase", phase);
        return update.map((rs, ctx) -> map(rs)).list();
    }

    /** Extends a lease the owner still holds; false if it lost the unit meanwhile. */
    public boolean extendLease(String key, String owner, Duration lease) {
        return writes.inTransaction(h -> h.createUpdate("UPDATE units SET lease_until = " + dialect.nowMillis()
                        + " + :leaseMillis, updated_at = " + dialect.nowMillis()
                        + " WHERE unit_key = :key AND state = 'leased' AND lease_owner = :owner")
                .bind("key", key).bind("owner", owner).bind("leaseMillis", lease.toMillis()).execute()) == 1;
    }

    public boolean markDone(String key) {
        return writes.inTransaction(h -> h.createUpdate(markDoneSql()).bind("key", key).execute()) == 1;
    }

    String markDoneSql() {
        return "UPDATE units SET state = 'done', lease_owner = NULL, lease_until = NULL, failure_reason = NULL,"
                + " failure_detail = NULL, updated_at = " + dialect.nowMillis() + " WHERE unit_key = :key";
    }

    /** Gives a unit up: reason is a short stable code (e.g. truncated, http_429), detail the full story. */
    public boolean markFailed(String key, String reason, String detail) {
        return writes.inTransaction(h -> h.createUpdate("UPDATE units SET state = 'failed', lease_owner = NULL,"
                        + " lease_until = NULL, failure_reason = :reason, failure_detail = :detail, updated_at = "
                        + dialect.nowMillis() + " WHERE unit_key = :key")
                .bind("key", key).bind("reason", reason).bind("detail", detail).execute()) == 1;
    }

    /** Adds HTTP attempts beyond the one its claim counted (retried calls, re-asks after a truncated or broken reply). */
    public void addAttempts(String key, int extra) {
        writes.useTransaction(h -> h.createUpdate("UPDATE units SET attempts = attempts + :n WHERE unit_key = :key")
                .bind("key", key).bind("n", extra).execute());
    }

    /** Returns every unit whose lease ran out to pending; returns how many. */
    public int releaseExpiredLeases() {
        return writes.inTransaction(h -> h.createUpdate("UPDATE units SET state = 'pending', lease_owner = NULL,"
                + " lease_until = NULL, updated_at = " + dialect.nowMillis()
                + " WHERE state = 'leased' AND lease_until < " + dialect.nowMillis()).execute());
    }

    /** Puts failed (or leased) units back to pending, e.g. for a retry run; phase null = all phases. */
    public int returnToPending(UnitState from, String phase) {
        return writes.inTransaction(h -> {
            var update = h.createUpdate("UPDATE units SET state = 'pending', lease_owner = NULL, lease_until = NULL,"
                    + " failure_reason = NULL, failure_detail = NULL, updated_at = " + dialect.nowMillis()
                    + " WHERE state = :from" + (phase != null ? " AND phase = :phase" : ""))
                    .bind("from", from.wire());
            if (phase != null) update.bind("phase", phase);
            return update.execute();
        });
    }

    /** Returns one unit to pending, giving up its lease (e.g. on graceful shutdown). */
    public boolean returnToPending(String key) {
        return writes.inTransaction(h -> h.createUpdate("UPDATE units SET state = 'pending', lease_owner = NULL,"
                + " lease_until = NULL, updated_at = " + dialect.nowMillis() + " WHERE unit_key = :key AND state <> 'done'")
                .bind("key", key).execute()) == 1;
    }

    /** Gives a unit back to pending only while this owner still holds its lease; false if another run has it. */
    public boolean releaseLease(String key, String owner) {
        return writes.inTransaction(h -> h.createUpdate("UPDATE units SET state = 'pending', lease_owner = NULL,"
                + " lease_until = NULL, updated_at = " + dialect.nowMillis()
                + " WHERE unit_key = :key AND state = 'leased' AND lease_owner = :owner")
                .bind("key", key).bind("owner", owner).execute()) == 1;
    }

    public java.util.Optional<UnitRecord> find(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM units WHERE unit_key = :key")
                .bind("key", key).map((rs, ctx) -> map(rs)).findOne());
    }

    public List<UnitCount> countsByStateAndPhase() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT phase, state, COUNT(*) AS n FROM units GROUP BY phase, state ORDER BY phase, state")
                .map((rs, ctx) -> new UnitCount(rs.getString("phase"), UnitState.fromWire(rs.getString("state")),
                        rs.getLong("n")))
                .list());
    }

    /** Billed calls recorded as failed (paid, nothing stored), grouped by their unit's failure reason, costliest first. */
    public List<DiscardedSpend> discardedByReason() {
        return jdbi.withHandle(h -> h.createQuery("SELECT CASE WHEN u.state = 'failed' THEN COALESCE(u.failure_reason, 'unknown')"
                        + " ELSE 'retried_later' END AS reason, COUNT(*) AS n, SUM(l.cost_usd) AS cost"
                        + " FROM ledger l LEFT JOIN units u ON u.unit_key = l.unit_key WHERE l.outcome = 'failed'"
                        + " GROUP BY CASE WHEN u.state = 'failed' THEN COALESCE(u.failure_reason, 'unknown') ELSE 'retried_later' END"
                        + " ORDER BY cost DESC, reason")
                .map((rs, ctx) -> new DiscardedSpend(rs.getString("reason"), rs.getLong("n"), rs.getDouble("cost")))
                .list());
    }

    public List<FailureCount> failuresByReason() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(failure_reason, 'unknown') AS reason, COUNT(*) AS n,"
                        + " MIN(failure_detail) AS example FROM units WHERE state = 'failed' GROUP BY COALESCE(failure_reason, 'unknown')"
                        + " ORDER BY n DESC, reason")
                .map((rs, ctx) -> new FailureCount(rs.getString("reason"), rs.getLong("n"), rs.getString("example")))
                .list());
    }

    /**
     * Planned units per key of one matrix dimension ("persona", "arc" or "topic"), failed units excluded:
     * what the plan will deliver if every pending unit succeeds.
     */
    public java.util.Map<String, Long> plannedBy(String dimension) {
        String column = switch (dimension) {
            case "persona" -> "persona_key";
            case "arc" -> "arc_key";
            case "topic" -> "topic_key";
            default -> throw new IllegalArgumentException("unknown dimension " + dimension);
        };
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT " + column + " AS k, COUNT(*) AS n FROM units WHERE state <> 'failed' GROUP BY " + column)
                .map((rs, ctx) -> java.util.Map.entry(rs.getString("k"), rs.getLong("n")))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /** Units currently leased, with their owners (to give back the units of a crashed local run). */
    public List<UnitRecord> leased() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM units WHERE state = 'leased'")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** Every unit of a phase whatever its state, in planning order (what a finished run is compared against). */
    public List<UnitRecord> inPhase(String phase) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM units WHERE phase = :phase ORDER BY created_at, unit_key")
                .bind("phase", phase).map((rs, ctx) -> map(rs)).list());
    }

    /** Every unit whatever its phase and state, in planning order. */
    public List<UnitRecord> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM units ORDER BY created_at, unit_key")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** Pending units in planning order (what an estimate prices); phase null = all phases. */
    public List<UnitRecord> pending(String phase) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM units WHERE state = 'pending'"
                    + (phase != null ? " AND phase = :phase" : "") + " ORDER BY created_at, unit_key");
            if (phase != null) q.bind("phase", phase);
            return q.map((rs, ctx) -> map(rs)).list();
        });
    }

    static UnitRecord map(ResultSet rs) throws SQLException {
        return new UnitRecord(rs.getString("unit_key"), rs.getString("pack_hash"), rs.getString("phase"),
                rs.getString("persona_key"), rs.getString("arc_key"), rs.getString("topic_key"),
                rs.getInt("variation_index"), UnitState.fromWire(rs.getString("state")), rs.getInt("attempts"),
                rs.getString("failure_reason"), rs.getString("failure_detail"), rs.getString("lease_owner"),
                Times.instant(rs, "lease_until"), rs.getString("batch_id"), Times.instant(rs, "created_at"),
                Times.instant(rs, "updated_at"));
    }
}

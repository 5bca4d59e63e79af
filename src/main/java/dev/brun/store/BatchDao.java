package dev.brun.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Provider batches and the units each carries (custom id = the request's id inside the batch). */
public final class BatchDao {
    private final Jdbi jdbi;
    private final Writes writes;
    private final Dialect dialect;

    BatchDao(Jdbi jdbi, Writes writes, Dialect dialect) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.dialect = dialect;
    }

    /** Records a submitted batch and points its units at it; unitsByCustomId maps custom id to unit key. */
    public void create(BatchRecord batch, Map<String, String> unitsByCustomId) {
        writes.useTransaction(h -> {
            h.createUpdate("INSERT INTO batches (id, provider, phase, status, request_count, created_at, ended_at, results_fetched)"
                            + " VALUES (:id, :provider, :phase, :status, :requestCount, :createdAt, NULL, FALSE)")
                    .bind("id", batch.id()).bind("provider", batch.provider()).bind("phase", batch.phase())
                    .bind("status", batch.status()).bind("requestCount", batch.requestCount())
                    .bind("createdAt", (batch.createdAt() == null ? Instant.now() : batch.createdAt()).toEpochMilli())
                    .execute();
            if (unitsByCustomId.isEmpty()) return;
            PreparedBatch links = h.prepareBatch("INSERT INTO batch_units (batch_id, unit_key, custom_id) VALUES (:b, :u, :c)");
            PreparedBatch units = h.prepareBatch("UPDATE units SET batch_id = :b, updated_at = " + dialect.nowMillis()
                    + " WHERE unit_key = :u");
            unitsByCustomId.forEach((customId, unitKey) -> {
                links.bind("b", batch.id()).bind("u", unitKey).bind("c", customId).add();
                units.bind("b", batch.id()).bind("u", unitKey).add();
            });
            links.execute();
            units.execute();
        });
    }

    public void updateStatus(String batchId, String status, Instant endedAt) {
        writes.useTransaction(h -> h.createUpdate("UPDATE batches SET status = :s, ended_at = :e WHERE id = :id")
                .bind("s", status).bind("e", endedAt == null ? null : endedAt.toEpochMilli()).bind("id", batchId).execute());
    }

    public void markResultsFetched(String batchId) {
        writes.useTransaction(h -> h.createUpdate("UPDATE batches SET results_fetched = TRUE WHERE id = :id")
                .bind("id", batchId).execute());
    }

    public Optional<BatchRecord> find(String batchId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM batches WHERE id = :id").bind("id", batchId)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    /** Batches whose results are not fetched yet: what a restart resumes polling. */
    public List<BatchRecord> unfinished() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM batches WHERE results_fetched = FALSE ORDER BY created_at, id")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** Every stored batch, oldest first. */
    public List<BatchRecord> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM batches ORDER BY created_at, id")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** custom id to unit key for one batch. */
    public Map<String, String> units(String batchId) {
        return jdbi.withHandle(h -> {
            Map<String, String> out = new java.util.LinkedHashMap<>();
            h.createQuery("SELECT custom_id, unit_key FROM batch_units WHERE batch_id = :b ORDER BY custom_id")
                    .bind("b", batchId)
                    .map((rs, ctx) -> Map.entry(rs.getString("custom_id"), rs.getString("unit_key")))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    private static BatchRecord map(ResultSet rs) throws SQLException {
        return new BatchRecord(rs.getString("id"), rs.getString("provider"), rs.getString("phase"),
                rs.getString("status"), rs.getInt("request_count"), Times.instant(rs, "created_at"),
                Times.instant(rs, "ended_at"), rs.getBoolean("results_fetched"));
    }
}

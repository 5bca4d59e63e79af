package dev.brun.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;

/** Running and finished jobs with their progress, so any process (or a restarted UI) can show them. */
public final class JobDao {
    private final Jdbi jdbi;
    private final Writes writes;

    JobDao(Jdbi jdbi, Writes writes) {
        this.jdbi = jdbi;
        this.writes = writes;
    }

    /** Records a started job and returns its id. */
    public String start(String kind, long total, String message) {
        return start(kind, total, message, null);
    }

    /** Records a started job run by owner (a lease owner id, host:pid:nonce) and returns its id. */
    public String start(String kind, long total, String message, String owner) {
        String id = UUID.randomUUID().toString();
        writes.useTransaction(h -> h.createUpdate("INSERT INTO jobs (id, kind, state, done, total, message, started_at, owner)"
                        + " VALUES (:id, :kind, 'running', 0, :total, :message, :at, :owner)")
                .bind("id", id).bind("kind", kind).bind("total", total).bind("message", message)
                .bind("at", System.currentTimeMillis()).bind("owner", owner).execute());
        return id;
    }

    /** Running jobs' ids and owners (owner null: started before owners were recorded). */
    public Map<String, String> runningOwners() {
        return jdbi.withHandle(h -> {
            Map<String, String> out = new LinkedHashMap<>();
            h.createQuery("SELECT id, owner FROM jobs WHERE state = 'running' ORDER BY started_at, id")
                    .map((rs, ctx) -> Map.entry(rs.getString("id"), java.util.Optional.ofNullable(rs.getString("owner"))))
                    .forEach(e -> out.put(e.getKey(), e.getValue().orElse(null)));
            return out;
        });
    }

    /** Ends a running job whose process died; message says how far it got. */
    public void interrupted(String id, String message) {
        writes.useTransaction(h -> h.createUpdate("UPDATE jobs SET state = 'interrupted', message = :message, ended_at = :at"
                        + " WHERE id = :id AND state = 'running'")
                .bind("id", id).bind("message", message).bind("at", System.currentTimeMillis()).execute());
    }

    public void progress(String id, long done, long total, String message) {
        writes.useTransaction(h -> h.createUpdate("UPDATE jobs SET done = :done, total = :total, message = :message"
                        + " WHERE id = :id AND state = 'running'")
                .bind("id", id).bind("done", done).bind("total", total).bind("message", message).execute());
    }

    /** Ends a job; state is done or failed, message says what happened. */
    public void finish(String id, boolean succeeded, String message) {
        end(id, succeeded ? "done" : "failed", message);
    }

    /** Ends a job that stopped because someone cancelled it; message says how far it got. */
    public void cancelled(String id, String message) {
        end(id, "cancelled", message);
    }

    private void end(String id, String state, String message) {
        writes.useTransaction(h -> h.createUpdate("UPDATE jobs SET state = :state, message = :message, ended_at = :at"
                        + " WHERE id = :id")
                .bind("id", id).bind("state", state).bind("message", message)
                .bind("at", System.currentTimeMillis()).execute());
    }

    public Optional<JobRecord> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    /** The most recent jobs first, running or not. */
    public List<JobRecord> recent(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs ORDER BY started_at DESC, id LIMIT :limit")
                .bind("limit", limit).map((rs, ctx) -> map(rs)).list());
    }

    public List<JobRecord> running() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE state = 'running' ORDER BY started_at, id")
                .map((rs, ctx) -> map(rs)).list());
    }

    private static JobRecord map(ResultSet rs) throws SQLException {
        return new JobRecord(rs.getString("id"), rs.getString("kind"), rs.getString("state"), rs.getLong("done"),
                rs.getLong("total"), rs.getString("message"), Times.instant(rs, "started_at"), Times.instant(rs, "ended_at"));
    }
}

package dev.brun.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.ToLongFunction;

/**
 * Rate-limit pacing shared by the processes of a project ({@code pacing_limits}, {@code pacing_calls}), keyed by a
 * scope naming the provider endpoint. A reservation is judged and written under one lock, so that two processes
 * never both take the last room in a bucket.
 */
public final class PacingDao {
    private static final String[] WINDOWS = {"requests", "tokens", "input", "output"};

    private final Jdbi jdbi;
    private final Writes writes;
    private final Dialect dialect;

    PacingDao(Jdbi jdbi, Writes writes, Dialect dialect) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.dialect = dialect;
    }

    /** The scope's newest headers and its calls reserved at or after {@code callsSinceMillis}, read without a lock. */
    public PacingRecord read(String scope, long callsSinceMillis) {
        return jdbi.withHandle(h -> read(h, scope, callsSinceMillis));
    }

    /**
     * Under the pacing lock: removes calls reserved before {@code callsSinceMillis} (their processes are gone or
     * their calls long over), reads the scope, and records the call when {@code waitMillis} answers 0.
     *
     * @return what waitMillis answered
     */
    public long reserveIf(String scope, String owner, PacingRecord.Call call, long callsSinceMillis,
                          ToLongFunction<PacingRecord> waitMillis) {
        return writes.inTransaction(h -> {
            if (dialect.pacingLock() != null) h.createQuery(dialect.pacingLock()).mapToMap().list();
            h.createUpdate("DELETE FROM pacing_calls WHERE scope = :s AND reserved_at < :since")
                    .bind("s", scope).bind("since", callsSinceMillis).execute();
            long wait = waitMillis.applyAsLong(read(h, scope, callsSinceMillis));
            if (wait == 0) {
                h.createUpdate("""
                                INSERT INTO pacing_calls (scope, owner, input_tokens, output_tokens, reserved_at)
                                VALUES (:s, :o, :i, :out, :at)""")
                        .bind("s", scope).bind("o", owner).bind("i", call.inputTokens()).bind("out", call.outputTokens())
                        .bind("at", call.reservedAtMillis()).execute();
            }
            return wait;
        });
    }

    /**
     * In one transaction: keeps these headers when they are the scope's newest (null: none came) and removes one
     * call of the owner with these token counts, when endedCall is true.
     */
    public void end(String scope, String owner, long inputTokens, long outputTokens, boolean endedCall, PacingRecord.Limits observed) {
        writes.useTransaction(h -> {
            if (observed != null) upsert(h, scope, observed);
            if (endedCall) {
                h.createUpdate("""
                                DELETE FROM pacing_calls WHERE id = (SELECT MIN(id) FROM pacing_calls
                                 WHERE scope = :s AND owner = :o AND input_tokens = :i AND output_tokens = :out)""")
                        .bind("s", scope).bind("o", owner).bind("i", inputTokens).bind("out", outputTokens).execute();
            }
        });
    }

    private static void upsert(Handle h, String scope, PacingRecord.Limits l) {
        StringBuilder columns = new StringBuilder("scope, observed_at, observations");
        StringBuilder values = new StringBuilder(":scope, :at, 1");
        StringBuilder updates = new StringBuilder("observed_at = excluded.observed_at, observations = pacing_limits.observations + 1");
        for (String w : WINDOWS) {
            for (String f : new String[]{"limit", "remaining", "reset"}) {
                columns.append(", ").append(w).append('_').append(f);
                values.append(", :").append(w).append('_').append(f);
                updates.append(", ").append(w).append('_').append(f).append(" = excluded.").append(w).append('_').append(f);
            }
        }
        var update = h.createUpdate("INSERT INTO pacing_limits (" + columns + ") VALUES (" + values + ")"
                        + " ON CONFLICT (scope) DO UPDATE SET " + updates + " WHERE pacing_limits.observed_at <= excluded.observed_at")
                .bind("scope", scope).bind("at", l.observedAtMillis());
        PacingRecord.Window[] windows = {l.requests(), l.tokens(), l.input(), l.output()};
        for (int i = 0; i < WINDOWS.length; i++) {
            PacingRecord.Window w = windows[i];
            update.bind(WINDOWS[i] + "_limit", w == null ? null : w.limit())
                    .bind(WINDOWS[i] + "_remaining", w == null ? null : w.remaining())
                    .bind(WINDOWS[i] + "_reset", w == null ? null : w.resetMillis());
        }
        update.execute();
    }

    private static PacingRecord read(Handle h, String scope, long callsSinceMillis) {
        PacingRecord.Limits newest = h.createQuery("SELECT * FROM pacing_limits WHERE scope = :s").bind("s", scope)
                .map((rs, ctx) -> new PacingRecord.Limits(rs.getLong("observed_at"), rs.getLong("observations"),
                        window(rs, "requests"), window(rs, "tokens"), window(rs, "input"), window(rs, "output")))
                .findOne().orElse(null);
        var calls = h.createQuery("""
                        SELECT input_tokens, output_tokens, reserved_at FROM pacing_calls
                         WHERE scope = :s AND reserved_at >= :since""")
                .bind("s", scope).bind("since", callsSinceMillis)
                .map((rs, ctx) -> new PacingRecord.Call(rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("reserved_at")))
                .list();
        return new PacingRecord(newest, calls);
    }

    private static PacingRecord.Window window(ResultSet rs, String name) throws SQLException {
        long limit = rs.getLong(name + "_limit");
        if (rs.wasNull()) return null;
        long remaining = rs.getLong(name + "_remaining");
        long reset = rs.getLong(name + "_reset");
        return new PacingRecord.Window(limit, remaining, rs.wasNull() ? null : reset);
    }
}

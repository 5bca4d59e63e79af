package dev.brun.store;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The spend ledger: one line per billed call, written when the response arrives. */
public final class LedgerDao {
    private static final String INSERT = """
            INSERT INTO ledger (unit_key, phase, provider, model, request_id, input_tokens, output_tokens,
                                cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, cost_usd, batch, outcome, at)
            VALUES (:unitKey, :phase, :provider, :model, :requestId, :inputTokens, :outputTokens,
                    :cacheReadTokens, :cacheWriteTokens, :cacheWrite1hTokens, :costUsd, :batch, :outcome, :at)""";
    private static final String SUMS = """
            SELECT COUNT(*) AS calls, COALESCE(SUM(input_tokens), 0) AS input_tokens,
                   COALESCE(SUM(output_tokens), 0) AS output_tokens,
                   COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens,
                   COALESCE(SUM(cache_write_tokens), 0) AS cache_write_tokens,
                   COALESCE(SUM(cache_write_1h_tokens), 0) AS cache_write_1h_tokens,
                   COALESCE(SUM(cost_usd), 0) AS cost_usd
              FROM ledger""";

    private final Jdbi jdbi;
    private final Writes writes;
    private final Dialect dialect;

    LedgerDao(Jdbi jdbi, Writes writes, Dialect dialect) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.dialect = dialect;
    }

    public void record(LedgerEntry entry) {
        writes.useTransaction(h -> insert(h, entry));
    }

    /**
     * Writes the reply's ledger line. It settles the unit's in-flight line in the same transaction, so that a
     * crash leaves either the in-flight line or the billed line, never both and never neither.
     */
    static void insert(Handle h, LedgerEntry e) {
        if (e.unitKey() != null)
            h.createUpdate("DELETE FROM calls_in_flight WHERE unit_key = :k AND state = 'in_flight' AND batch = :b")
                    .bind("k", e.unitKey()).bind("b", e.batch()).execute();
        h.createUpdate(INSERT)
                .bind("unitKey", e.unitKey()).bind("phase", e.phase()).bind("provider", e.provider())
                .bind("model", e.model()).bind("requestId", e.requestId()).bind("inputTokens", e.inputTokens())
                .bind("outputTokens", e.outputTokens()).bind("cacheReadTokens", e.cacheReadTokens())
                .bind("cacheWriteTokens", e.cacheWriteTokens()).bind("cacheWrite1hTokens", e.cacheWrite1hTokens())
                .bind("costUsd", e.costUsd())
                .bind("batch", e.batch()).bind("outcome", e.outcome().wire())
                .bind("at", e.at() == null ? System.currentTimeMillis() : e.at().toEpochMilli())
                .execute();
    }

    /** Billed spend plus what calls in flight at a crash may have cost: what the budget counts as spent. */
    public double totalSpend() {
        return totals().costUsd() + unconfirmedSpend();
    }

    /** Dollars possibly billed by calls that were in flight when their process died (at their expected cost). */
    public double unconfirmedSpend() {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT COALESCE(SUM(expected_usd), 0) FROM calls_in_flight WHERE state = 'unconfirmed'").mapTo(Double.class).one());
    }

    public int unconfirmedCalls() {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM calls_in_flight WHERE state = 'unconfirmed'").mapTo(Integer.class).one());
    }

    /**
     * Reserves a call's worst case against the project's cap, across every process on this database: in one
     * transaction the call's in-flight line is written, then spend (billed and unconfirmed) plus every in-flight
     * worst case is summed; over the cap, the line is taken back and the answer says no.
     */
    public Reservation reserve(InFlightCall c, double capUsd) {
        return writes.inTransaction(h -> {
            if (dialect.budgetLock() != null) h.createQuery(dialect.budgetLock()).mapToMap().list();
            long id = h.createUpdate("""
                            INSERT INTO calls_in_flight (unit_key, phase, attempt, model, owner, expected_usd, worst_usd, batch, state, at)
                            VALUES (:unitKey, :phase, :attempt, :model, :owner, :expectedUsd, :worstUsd, :batch, 'in_flight', :at)""")
                    .bindMethods(c).bind("at", System.currentTimeMillis())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            // one read for the whole picture: this runs before every call, inside the write lock
            Reservation seen = h.createQuery("""
                            SELECT (SELECT COALESCE(SUM(cost_usd), 0) FROM ledger)
                                 + COALESCE(SUM(CASE WHEN state = 'unconfirmed' THEN expected_usd END), 0) AS spent,
                                   COALESCE(SUM(CASE WHEN state = 'in_flight' AND id <> :id THEN worst_usd END), 0) AS reserved,
                                   COUNT(CASE WHEN state = 'in_flight' AND id <> :id AND batch = FALSE THEN 1 END) AS others
                              FROM calls_in_flight""")
                    .bind("id", id)
                    .map((rs, ctx) -> new Reservation(id, rs.getDouble("spent"), rs.getDouble("reserved"), rs.getInt("others")))
                    .one();
            if (seen.spentUsd() + seen.reservedUsd() + c.worstUsd() > capUsd + 1e-12) {
                h.createUpdate("DELETE FROM calls_in_flight WHERE id = :id").bind("id", id).execute();
                return new Reservation(null, seen.spentUsd(), seen.reservedUsd(), seen.inFlight());
            }
            return seen;
        });
    }

    /**
     * Reserves the worst case of each of a batch's requests against the project's cap, in one transaction and in
     * order, as far as they fit; returns the in-flight line ids of the granted ones (a prefix of the list). The
     * lines stay until each request's result settles them, so every other process sees what the batch may cost.
     */
    public List<Long> reserveAll(List<InFlightCall> calls, double capUsd) {
        if (calls.isEmpty()) return List.of();
        return writes.inTransaction(h -> {
            if (dialect.budgetLock() != null) h.createQuery(dialect.budgetLock()).mapToMap().list();
            double committed = h.createQuery("""
                    SELECT (SELECT COALESCE(SUM(cost_usd), 0) FROM ledger)
                         + (SELECT COALESCE(SUM(CASE WHEN state = 'unconfirmed' THEN expected_usd ELSE worst_usd END), 0)
                              FROM calls_in_flight)""").mapTo(Double.class).one();
            List<Long> ids = new java.util.ArrayList<>();
            for (InFlightCall c : calls) {
                if (committed + c.worstUsd() > capUsd + 1e-12) break;
                committed += c.worstUsd();
                ids.add(h.createUpdate("""
                                INSERT INTO calls_in_flight (unit_key, phase, attempt, model, owner, expected_usd, worst_usd, batch, state, at)
                                VALUES (:unitKey, :phase, :attempt, :model, :owner, :expectedUsd, :worstUsd, :batch, 'in_flight', :at)""")
                        .bindMethods(c).bind("at", System.currentTimeMillis())
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            }
            return ids;
        });
    }

    /** Takes back a unit's batch request line: its result came back unbilled (errored, expired, canceled) or the batch is lost. */
    public void releaseBatchRequest(String unitKey) {
        writes.useTransaction(h -> h.createUpdate(
                        "DELETE FROM calls_in_flight WHERE unit_key = :k AND batch = TRUE AND state = 'in_flight'")
                .bind("k", unitKey).execute());
    }

    /**
     * A batch request whose submission died unrecorded may have reached the provider: its line counts from now on
     * at expected cost, like a call in flight at a crash.
     */
    public int markBatchRequestUnconfirmed(String unitKey) {
        return writes.inTransaction(h -> h.createUpdate(
                        "UPDATE calls_in_flight SET state = 'unconfirmed' WHERE unit_key = :k AND batch = TRUE AND state = 'in_flight'")
                .bind("k", unitKey).execute());
    }

    /** Writes a call's billed line and removes its in-flight line in one transaction (for calls outside units). */
    public void settle(long inFlightId, LedgerEntry entry) {
        writes.useTransaction(h -> {
            h.createUpdate("DELETE FROM calls_in_flight WHERE id = :id AND state = 'in_flight'").bind("id", inFlightId).execute();
            insert(h, entry);
        });
    }

    /** Number of one-by-one calls in flight in every process (batch requests, out for hours, are not waited for). */
    public int callsInFlight() {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM calls_in_flight WHERE state = 'in_flight' AND batch = FALSE").mapTo(Integer.class).one());
    }

    /**
     * Whether a call of this worst case could fit now, read without a write lock: a waiting call asks this
     * before trying {@link #reserve}, so that waiters do not queue write transactions ahead of replies being stored.
     */
    public boolean mightFit(double worstUsd, double capUsd) {
        if (Double.isInfinite(capUsd)) return true;
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT (SELECT COALESCE(SUM(cost_usd), 0) FROM ledger)
                     + (SELECT COALESCE(SUM(CASE WHEN state = 'unconfirmed' THEN expected_usd ELSE worst_usd END), 0)
                          FROM calls_in_flight)""").mapTo(Double.class).one()) + worstUsd <= capUsd + 1e-12;
    }

    /** Takes back the in-flight line of a call that was not billed (never sent, or refused before any work). */
    public void release(long inFlightId) {
        writes.useTransaction(h -> h.createUpdate("DELETE FROM calls_in_flight WHERE id = :id AND state = 'in_flight'")
                .bind("id", inFlightId).execute());
    }

    /** Owners of in-flight lines, so that a resume can tell which belong to processes that are gone. */
    public List<String> inFlightOwners() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT owner FROM calls_in_flight WHERE state = 'in_flight'")
                .mapTo(String.class).list());
    }

    /** The calls a dead process left in flight may have been billed: they count from now on at expected cost. */
    public int markUnconfirmed(String owner) {
        return writes.inTransaction(h -> h.createUpdate(
                "UPDATE calls_in_flight SET state = 'unconfirmed' WHERE owner = :o AND state = 'in_flight'")
                .bind("o", owner).execute());
    }

    /** A call abandoned at a timeout may have been billed all the same: its line counts from now on at expected cost. */
    public void markUnconfirmed(long inFlightId) {
        writes.useTransaction(h -> h.createUpdate(
                        "UPDATE calls_in_flight SET state = 'unconfirmed' WHERE id = :id AND state = 'in_flight'")
                .bind("id", inFlightId).execute());
    }

    public TokenTotals totals() {
        return jdbi.withHandle(h -> h.createQuery(SUMS).map((rs, ctx) -> new TokenTotals(rs.getLong("calls"),
                rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cache_read_tokens"),
                rs.getLong("cache_write_tokens"), rs.getLong("cache_write_1h_tokens"), rs.getDouble("cost_usd"))).one());
    }

    /** Token sums per model (for cache savings, which depend on each model's prices). */
    public Map<String, TokenTotals> tokensByModel() {
        return tokensByModel((Boolean) null);
    }

    /** Token sums per model of the calls made through Message Batches (batch true) or one by one (false). */
    public Map<String, TokenTotals> tokensByModel(boolean batch) {
        return tokensByModel(Boolean.valueOf(batch));
    }

    private Map<String, TokenTotals> tokensByModel(Boolean batch) {
        return jdbi.withHandle(h -> {
            Map<String, TokenTotals> out = new LinkedHashMap<>();
            h.createQuery("SELECT model, COUNT(*) AS calls, COALESCE(SUM(input_tokens), 0) AS input_tokens,"
                            + " COALESCE(SUM(output_tokens), 0) AS output_tokens, COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens,"
                            + " COALESCE(SUM(cache_write_tokens), 0) AS cache_write_tokens,"
                            + " COALESCE(SUM(cache_write_1h_tokens), 0) AS cache_write_1h_tokens, COALESCE(SUM(cost_usd), 0) AS cost_usd"
                            + " FROM ledger" + (batch == null ? "" : " WHERE batch = :b") + " GROUP BY model ORDER BY model")
                    .bindMap(batch == null ? Map.of() : Map.of("b", batch))
                    .map((rs, ctx) -> Map.entry(rs.getString("model"), new TokenTotals(rs.getLong("calls"),
                            rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cache_read_tokens"),
                            rs.getLong("cache_write_tokens"), rs.getLong("cache_write_1h_tokens"), rs.getDouble("cost_usd"))))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** Dollars per phase, phases in name order. */
    public Map<String, Double> spendByPhase() {
        return jdbi.withHandle(h -> {
            Map<String, Double> out = new LinkedHashMap<>();
            h.createQuery("SELECT phase, SUM(cost_usd) AS cost FROM ledger GROUP BY phase ORDER BY phase")
                    .map((rs, ctx) -> Map.entry(rs.getString("phase"), rs.getDouble("cost")))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** Dollars per phase of the calls made through Message Batches (batch true) or one by one (false). */
    public Map<String, Double> spendByPhase(boolean batch) {
        return jdbi.withHandle(h -> {
            Map<String, Double> out = new LinkedHashMap<>();
            h.createQuery("SELECT phase, SUM(cost_usd) AS cost FROM ledger WHERE batch = :b GROUP BY phase ORDER BY phase")
                    .bind("b", batch)
                    .map((rs, ctx) -> Map.entry(rs.getString("phase"), rs.getDouble("cost")))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** Dollars per UTC day, oldest first. */
    public Map<LocalDate, Double> spendByDay() {
        String day = dialect.utcDay("at");
        return jdbi.withHandle(h -> {
            Map<LocalDate, Double> out = new LinkedHashMap<>();
            h.createQuery("SELECT " + day + " AS day, SUM(cost_usd) AS cost FROM ledger GROUP BY " + day + " ORDER BY day")
                    .map((rs, ctx) -> Map.entry(LocalDate.parse(rs.getString("day")), rs.getDouble("cost")))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    public List<LedgerEntry> forUnit(String unitKey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM ledger WHERE unit_key = :k ORDER BY id")
                .bind("k", unitKey)
                .map((rs, ctx) -> new LedgerEntry(rs.getLong("id"), rs.getString("unit_key"), rs.getString("phase"),
                        rs.getString("provider"), rs.getString("model"), rs.getString("request_id"),
                        rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cache_read_tokens"),
                        rs.getLong("cache_write_tokens"), rs.getLong("cache_write_1h_tokens"), rs.getDouble("cost_usd"), rs.getBoolean("batch"),
                        LedgerOutcome.fromWire(rs.getString("outcome")), Times.instant(rs, "at")))
                .list());
    }
}

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

    static void insert(Handle h, LedgerEntry e) {
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

    public double totalSpend() {
        return totals().costUsd();
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

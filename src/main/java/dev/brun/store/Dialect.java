package dev.brun.store;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every difference between the databases brun runs on, so DAOs hold one SQL text each and never ask
 * which database they talk to.
 */
public sealed interface Dialect permits SqliteDialect, PostgresDialect {

    String name();

    /** SQL expression for the database's current time in epoch milliseconds. */
    String nowMillis();

    /** SQL expression turning an epoch-millisecond column into a 'YYYY-MM-DD' UTC day. */
    String utcDay(String millisColumn);

    /** Values for the placeholders of the shared Flyway migrations. */
    Map<String, String> migrationPlaceholders();

    /** Whether brun must let only one write transaction run at a time (a single-writer database). */
    boolean serialisesWrites();

    /**
     * Leases up to :limit units to :owner for :leaseMillis and returns them: pending units, or with
     * expiredLeases units whose lease ran out; :phase filters when byPhase. Each kind is one statement so
     * that the database walks an index in claim order and stops at :limit (an OR of both would sort every
     * claimable unit on each claim: quadratic over a large plan).
     */
    default String claimUnits(String returnedColumns, boolean byPhase, boolean expiredLeases) {
        return """
                UPDATE units
                   SET state = 'leased', lease_owner = :owner, lease_until = %1$s + :leaseMillis,
                       attempts = attempts + 1, updated_at = %1$s
                 WHERE unit_key IN (SELECT unit_key FROM units WHERE %2$s
                                     ORDER BY created_at, phase, persona_key, arc_key, unit_key LIMIT :limit%3$s)
                RETURNING %4$s
                """.formatted(nowMillis(), claimableUnits(byPhase, expiredLeases), claimRowLock(), returnedColumns);
    }

    /**
     * What the claim's inner SELECT appends so that concurrent claimers do not lease the same rows:
     * nothing where writes are serialised anyway.
     */
    String claimRowLock();

    /** {@link #claimRowLock()} for a SELECT that joins other tables: the lock taken on the rows of alias only. */
    String claimRowLockOf(String alias);

    /**
     * Leases one pending unit to :owner, taken so that a sample spreads over the matrix: from the persona x arc
     * cell with the fewest units already taken (leased, done or failed), then the topic with the fewest, then in
     * claim order. Repeated, it gives every cell one unit before any cell a second, and spreads topics across cells.
     */
    default String claimSpreadUnit(String returnedColumns, boolean byPhase) {
        String phase = byPhase ? " AND phase = :phase" : "";
        return """
                UPDATE units
                   SET state = 'leased', lease_owner = :owner, lease_until = %1$s + :leaseMillis,
                       attempts = attempts + 1, updated_at = %1$s
                 WHERE unit_key IN (SELECT u.unit_key FROM units u
                          LEFT JOIN (SELECT persona_key, arc_key, COUNT(*) AS n FROM units WHERE state <> 'pending'%2$s
                                      GROUP BY persona_key, arc_key) cell
                                 ON cell.persona_key = u.persona_key AND cell.arc_key = u.arc_key
                          LEFT JOIN (SELECT topic_key, COUNT(*) AS n FROM units WHERE state <> 'pending'%2$s
                                      GROUP BY topic_key) topic
                                 ON topic.topic_key = u.topic_key
                         WHERE u.state = 'pending'%3$s
                         ORDER BY COALESCE(cell.n, 0), COALESCE(topic.n, 0), u.created_at, u.persona_key, u.arc_key,
                                  u.topic_key, u.unit_key
                         LIMIT :limit%4$s)
                RETURNING %5$s
                """.formatted(nowMillis(), phase, byPhase ? " AND u.phase = :phase" : "", claimRowLockOf("u"), returnedColumns);
    }

    /**
     * A statement that makes budget reservations of concurrent processes take turns until the transaction ends,
     * or null where the reservation's own INSERT already takes the database's single write lock.
     */
    String budgetLock();

    /** As {@link #budgetLock()} for rate-limit pacing reservations (their own lock: they must not wait on budget ones). */
    String pacingLock();

    /** A condition on conversations c that some turn's text matches what a person typed, with the value for :text. */
    record TextMatch(String condition, String text) {}

    /** How a listing finds conversations by the text of their turns. */
    TextMatch turnTextMatch(String typed);

    /** Substring match, case-insensitive, by scanning the turns of each conversation: the fallback of any dialect. */
    static TextMatch substringMatch(String typed, String likeOperator) {
        String escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return new TextMatch("EXISTS (SELECT 1 FROM turns t WHERE t.conversation_id = c.id AND t.content " + likeOperator
                + " :text ESCAPE '\\')", "%" + escaped + "%");
    }

    /** INSERT that silently skips a row whose key already exists. */
    default String insertIgnore(String table, List<String> columns) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> ":" + c).collect(Collectors.joining(", ")) + ") ON CONFLICT DO NOTHING";
    }

    /** INSERT that replaces the non-key columns of a row whose key already exists. */
    default String upsert(String table, List<String> keyColumns, List<String> columns) {
        String updates = columns.stream().filter(c -> !keyColumns.contains(c))
                .map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> ":" + c).collect(Collectors.joining(", ")) + ") ON CONFLICT ("
                + String.join(", ", keyColumns) + ") DO UPDATE SET " + updates;
    }

    /** Which units a claim statement may take; the units_claim_* indexes serve each form in claim order. */
    default String claimableUnits(boolean byPhase, boolean expiredLeases) {
        return (expiredLeases ? "state = 'leased' AND lease_until < " + nowMillis() : "state = 'pending'")
                + (byPhase ? " AND phase = :phase" : "");
    }
}

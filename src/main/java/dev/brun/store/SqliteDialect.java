package dev.brun.store;

import java.util.Map;

/** SQLite: one writer at a time, so a claim is a single UPDATE ... RETURNING with no row locks. */
public record SqliteDialect() implements Dialect {

    @Override public String name() { return "sqlite"; }

    @Override public String nowMillis() {
        return "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    }

    @Override public String utcDay(String millisColumn) {
        return "date(" + millisColumn + " / 1000, 'unixepoch')";
    }

    @Override public Map<String, String> migrationPlaceholders() {
        return Map.of("id_pk", "INTEGER PRIMARY KEY AUTOINCREMENT");
    }

    @Override public boolean serialisesWrites() { return true; }

    @Override public String claimUnits(String returnedColumns, boolean byPhase) {
        return """
                UPDATE units
                   SET state = 'leased', lease_owner = :owner, lease_until = %1$s + :leaseMillis,
                       attempts = attempts + 1, updated_at = %1$s
                 WHERE unit_key IN (SELECT unit_key FROM units WHERE %2$s
                                     ORDER BY created_at, phase, persona_key, arc_key, unit_key LIMIT :limit)
                RETURNING %3$s
                """.formatted(nowMillis(), claimableUnits(byPhase), returnedColumns);
    }
}

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

    @Override public String claimRowLock() { return ""; }
}

package dev.brun.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaVersionTest {
    @Test
    void flywayIsConsultedOnlyWhileTheDatabaseIsBehind(@TempDir Path tmp) {
        assertThat(SchemaVersion.shipped("db/migration/common", "db/migration/sqlite")).contains("1", "2", "3", "4", "6");
        Path file = tmp.resolve("brun.db");
        try (Database db = Database.openSqlite(file)) {
            assertThat(SchemaVersion.upToDate(dataSource(db), "db/migration/common", "db/migration/sqlite")).isTrue();
            // a shipped migration the database lacks (as after an upgrade of brun) makes it behind
            db.jdbi().useHandle(h -> h.execute("DELETE FROM flyway_schema_history WHERE version = '6'"));
            assertThat(SchemaVersion.upToDate(dataSource(db), "db/migration/common", "db/migration/sqlite")).isFalse();
        }
    }

    @Test
    void aNewDatabaseIsBehindAndVersionsCompareAsFlywayDoes(@TempDir Path tmp) {
        assertThat(SchemaVersion.normalise("1_1")).isEqualTo("1.1");
        assertThat(SchemaVersion.normalise("014")).isEqualTo("14");
        assertThat(SchemaVersion.normalise("2.0")).isEqualTo("2");
        try (Database db = Database.openSqlite(tmp.resolve("a.db"))) {
            assertThat(SchemaVersion.upToDate(dataSource(db), "db/migration/common", "db/migration/nothing-here")).isFalse();
        }
    }

    private static javax.sql.DataSource dataSource(Database db) { return db.dataSource(); }
}

package dev.brun.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteReviewHistoryTest extends ReviewHistoryContract {
    @TempDir Path dir;

    @Override
    protected Database openDatabase() {
        return Database.openSqlite(dir.resolve("brun.db"));
    }
}

package dev.brun.store;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Database openDatabase() {
        return Database.openSqlite(dir.resolve("nested/brun.db"));
    }
}

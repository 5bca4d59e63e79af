package dev.brun.store;

import org.junit.jupiter.api.Tag;

/** The store contract on PostgreSQL (embedded server shared by the JVM, a fresh database per test). */
@Tag("postgres")
class PostgresStoreTest extends StoreContract {
    @Override
    protected Database openDatabase() {
        return Database.open(EmbeddedPostgresServer.freshDatabaseUrl(), "postgres", null);
    }
}

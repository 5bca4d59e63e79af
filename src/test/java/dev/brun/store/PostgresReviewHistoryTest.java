package dev.brun.store;

import org.junit.jupiter.api.Tag;

/** The reviewer history and lineage contract on PostgreSQL (embedded server, a fresh database per test). */
@Tag("postgres")
class PostgresReviewHistoryTest extends ReviewHistoryContract {
    @Override
    protected Database openDatabase() {
        return Database.open(EmbeddedPostgresServer.freshDatabaseUrl(), "postgres", null);
    }
}

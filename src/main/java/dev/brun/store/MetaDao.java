package dev.brun.store;

import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;

/** Project-wide key/value facts (e.g. the hash of the settings a plan was made with). */
public final class MetaDao {
    private final Jdbi jdbi;
    private final Writes writes;
    private final Dialect dialect;

    MetaDao(Jdbi jdbi, Writes writes, Dialect dialect) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.dialect = dialect;
    }

    public Optional<String> get(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM meta WHERE meta_key = :k")
                .bind("k", key).mapTo(String.class).findOne());
    }

    public void put(String key, String value) {
        writes.useTransaction(h -> h.createUpdate(dialect.upsert("meta", List.of("meta_key"),
                        List.of("meta_key", "value", "updated_at")))
                .bind("meta_key", key).bind("value", value).bind("updated_at", System.currentTimeMillis())
                .execute());
    }

    /** Stores a pack snapshot under its content hash; a second store of the same hash does nothing. */
    public void putPackSnapshot(String hash, String name, String contentJson) {
        writes.useTransaction(h -> h.createUpdate(dialect.insertIgnore("pack_snapshots",
                        List.of("hash", "name", "content", "created_at")))
                .bind("hash", hash).bind("name", name).bind("content", contentJson)
                .bind("created_at", System.currentTimeMillis()).execute());
    }

    public Optional<String> packSnapshot(String hash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT content FROM pack_snapshots WHERE hash = :h")
                .bind("h", hash).mapTo(String.class).findOne());
    }
}

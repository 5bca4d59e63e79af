package dev.brun.store;

import java.util.concurrent.locks.ReentrantLock;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs write transactions. On a single-writer database (SQLite) they queue here, fairly, instead of
 * racing for the file lock: many virtual threads retrying on SQLITE_BUSY would starve each other and
 * a busy timeout would turn a long queue into errors. A ReentrantLock parks virtual threads without
 * pinning their carrier.
 */
public final class Writes {
    private final Jdbi jdbi;
    private final ReentrantLock lock;

    Writes(Jdbi jdbi, boolean serialise) {
        this.jdbi = jdbi;
        this.lock = serialise ? new ReentrantLock(true) : null;
    }

    public <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        if (lock == null) return jdbi.inTransaction(work);
        lock.lock();
        try {
            return jdbi.inTransaction(work);
        } finally {
            lock.unlock();
        }
    }

    public void useTransaction(java.util.function.Consumer<Handle> work) {
        inTransaction(h -> { work.accept(h); return null; });
    }
}

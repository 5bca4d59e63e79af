package dev.brun.export;

import dev.brun.store.Database;
import dev.brun.store.StoredConversation;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The project's conversations as export items, one fresh pass per {@link #get()}. A pass reads a page of ids
 * after the last one seen (keyset paging, so no cursor stays open between pages and a page costs the same at
 * the end of the table as at its start) and loads just that page: memory holds one page, whatever the count.
 */
public final class StoreExportSource implements Supplier<Stream<ExportItem>> {
    public static final int DEFAULT_PAGE_SIZE = 500;

    private final Database db;
    private final int pageSize;

    public StoreExportSource(Database db, int pageSize) {
        if (pageSize < 1) throw new IllegalArgumentException("pageSize must be positive");
        this.db = db;
        this.pageSize = pageSize;
    }

    public StoreExportSource(Database db) { this(db, DEFAULT_PAGE_SIZE); }

    @Override
    public Stream<ExportItem> get() {
        return stored().map(StoreExportSource::item);
    }

    /** One pass over every stored conversation in id order. */
    public Stream<StoredConversation> stored() {
        Iterator<StoredConversation> pages = new Pages();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    public static ExportItem item(StoredConversation s) {
        return new ExportItem(s.conversation(), s.generation().orElse(null), s.scores().orElse(null), s.flags(), s.review(),
                s.createdAt(), s.provenance());
    }

    private final class Pages implements Iterator<StoredConversation> {
        private Iterator<StoredConversation> page = List.<StoredConversation>of().iterator();
        private String after;
        private boolean exhausted;

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && !exhausted) fetch();
            return page.hasNext();
        }

        @Override
        public StoredConversation next() {
            if (!hasNext()) throw new NoSuchElementException();
            return page.next();
        }

        private void fetch() {
            String from = after;
            List<String> ids = db.jdbi().withHandle(h -> {
                var q = h.createQuery("SELECT id FROM conversations" + (from == null ? "" : " WHERE id > :after")
                        + " ORDER BY id LIMIT :limit").bind("limit", pageSize);
                if (from != null) q.bind("after", from);
                return q.mapTo(String.class).list();
            });
            if (ids.size() < pageSize) exhausted = true;
            if (ids.isEmpty()) return;
            after = ids.getLast();
            page = db.conversations().findAll(ids).iterator();
        }
    }
}

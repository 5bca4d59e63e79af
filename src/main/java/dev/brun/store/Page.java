package dev.brun.store;

import java.util.List;

/** One page of a listing; page is 0-based, total counts every matching row. */
public record Page<T>(List<T> items, int page, int pageSize, long total) {
    public Page {
        items = List.copyOf(items);
    }
    public int pageCount() { return pageSize == 0 ? 0 : (int) ((total + pageSize - 1) / pageSize); }
}

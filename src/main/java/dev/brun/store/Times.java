package dev.brun.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Epoch-millisecond columns to and from Instant (null-safe). */
final class Times {
    private Times() {}

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}

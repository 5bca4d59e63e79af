package dev.brun.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQLite: one writer at a time, so a claim is a single UPDATE ... RETURNING with no row locks. */
public record SqliteDialect() implements Dialect {

    @Override public String name() { return "sqlite"; }

    @Override public String nowMillis() {
        return "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    }

    @Override public String utcDay(String millisColumn) {
        return "date(" + millisColumn + " / 1000, 'unixepoch')";
    }

    @Override public Map<String, String> migrationPlaceholders() {
        return Map.of("id_pk", "INTEGER PRIMARY KEY AUTOINCREMENT");
    }

    @Override public boolean serialisesWrites() { return true; }

    @Override public String claimRowLock() { return ""; }

    @Override public String claimRowLockOf(String alias) { return ""; }

    /**
     * Words and word beginnings through the turns_text full-text index (a scan of every turn took seconds at
     * 100,000 conversations): "emergency fu" finds turns with "emergency" followed by a word starting with
     * "fu". Text with no letters or digits falls back to a substring scan (SQLite's LIKE ignores ASCII case).
     */
    @Override public TextMatch turnTextMatch(String typed) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        typed.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) word.appendCodePoint(cp);
            else if (!word.isEmpty()) { words.add(word.toString()); word.setLength(0); }
        });
        if (!word.isEmpty()) words.add(word.toString());
        if (words.isEmpty()) return Dialect.substringMatch(typed, "LIKE");
        return new TextMatch("c.id IN (SELECT t.conversation_id FROM turns t WHERE t.rowid IN"
                + " (SELECT rowid FROM turns_text WHERE turns_text MATCH :text))", "\"" + String.join(" ", words) + "\"*");
    }

    /** The reservation's INSERT comes first and takes SQLite's one write lock; other processes wait on busy_timeout. */
    @Override public String budgetLock() { return null; }

    /** Transactions begin IMMEDIATE: the pacing transaction holds the one write lock from its first read. */
    @Override public String pacingLock() { return null; }
}

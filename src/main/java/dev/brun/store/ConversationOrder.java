package dev.brun.store;

import java.util.Locale;

/**
 * The order a listing and the review walk go through conversations. Each order is a leading sort key over
 * conversations c / scores s, then creation time and id, so the walk can find "the one after this" even
 * when this one has just left the filter (approved while walking pending ones): nothing is skipped.
 */
public enum ConversationOrder {
    /** Oldest first. */
    CREATED("created", null),
    /** Lowest overall score first; unscored last. */
    SCORE("score", "COALESCE(s.overall, 99.0)"),
    /** Most quality flags first. */
    FLAGS("flags", "-(SELECT COUNT(*) FROM quality_flags f WHERE f.conversation_id = c.id)");

    private final String wire;
    final String leadingKey;

    ConversationOrder(String wire, String leadingKey) {
        this.wire = wire;
        this.leadingKey = leadingKey;
    }

    public String wire() { return wire; }

    /** Creation order alone walks the (created_at, id) index; the others sort by their key first. */
    String orderBy(boolean forward) {
        String dir = forward ? "" : " DESC";
        return " ORDER BY " + (leadingKey == null ? "" : leadingKey + dir + ", ") + "c.created_at" + dir + ", c.id" + dir;
    }

    boolean hasLeadingKey() { return leadingKey != null; }

    /** The leading key as a select expression (a constant for creation order). */
    String leadingSelect() { return leadingKey == null ? "0" : leadingKey; }

    /** Rows strictly after (cmp "&gt;") or before ("&lt;") the anchor bound as :kAt, :kId (and :k1 when there is a leading key). */
    String beyond(String cmp) {
        String byCreation = "(c.created_at " + cmp + " :kAt OR (c.created_at = :kAt AND c.id " + cmp + " :kId))";
        if (leadingKey == null) return byCreation;
        return "(" + leadingKey + " " + cmp + " :k1 OR (" + leadingKey + " = :k1 AND " + byCreation + "))";
    }

    public static ConversationOrder fromWire(String s) {
        for (ConversationOrder o : values()) if (o.wire.equals(s.toLowerCase(Locale.ROOT))) return o;
        throw new IllegalArgumentException(s);
    }
}

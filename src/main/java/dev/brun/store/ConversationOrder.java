package dev.brun.store;

import java.util.Locale;

/**
 * The order a listing and the review walk go through conversations. Each order is a leading sort key over
 * conversations c / scores s, then creation time and id, so the walk can find "the one after this" even
 * when this one has just left the filter (approved while walking pending ones): nothing is skipped.
 */
public enum ConversationOrder {
    /** Oldest first. */
    CREATED("created", "c.created_at"),
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

    String orderBy(boolean forward) {
        String dir = forward ? "" : " DESC";
        return " ORDER BY " + leadingKey + dir + ", c.created_at" + dir + ", c.id" + dir;
    }

    /** Rows strictly after (cmp "&gt;") or before ("&lt;") the anchor bound as :k1, :kAt, :kId. */
    String beyond(String cmp) {
        return "(" + leadingKey + " " + cmp + " :k1 OR (" + leadingKey + " = :k1 AND (c.created_at " + cmp
                + " :kAt OR (c.created_at = :kAt AND c.id " + cmp + " :kId))))";
    }

    public static ConversationOrder fromWire(String s) {
        for (ConversationOrder o : values()) if (o.wire.equals(s.toLowerCase(Locale.ROOT))) return o;
        throw new IllegalArgumentException(s);
    }
}

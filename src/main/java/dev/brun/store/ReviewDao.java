package dev.brun.store;

import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import dev.brun.BadInputException;
import dev.brun.conversation.ReviewStatus;

/** Review verdicts, seed marks, notes and versioned turn edits, each logged as an action. */
public final class ReviewDao {
    private final Jdbi jdbi;
    private final Writes writes;
    private final Dialect dialect;

    ReviewDao(Jdbi jdbi, Writes writes, Dialect dialect) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.dialect = dialect;
    }

    public void setStatus(String conversationId, ReviewStatus status, String actor) {
        writes.useTransaction(h -> {
            ensureReview(h, conversationId);
            if (status != ReviewStatus.APPROVED && approvedSeed(h, conversationId))
                LineageDao.flagDescendants(h, conversationId, "was " + (status == ReviewStatus.REJECTED ? "rejected" : "set back to pending")
                        + (actor == null ? "" : " by " + actor));
            h.createUpdate("UPDATE reviews SET status = :s, reviewer = :a, updated_at = :at WHERE conversation_id = :id")
                    .bind("s", status.wire()).bind("a", actor).bind("at", System.currentTimeMillis())
                    .bind("id", conversationId).execute();
            log(h, conversationId, "status", status.wire(), actor);
        });
    }

    /** Flips the seed mark; returns the new value. */
    public boolean toggleSeed(String conversationId, String actor) {
        return writes.inTransaction(h -> {
            ensureReview(h, conversationId);
            h.createUpdate("UPDATE reviews SET seed = NOT seed, reviewer = :a, updated_at = :at WHERE conversation_id = :id")
                    .bind("a", actor).bind("at", System.currentTimeMillis()).bind("id", conversationId).execute();
            boolean seed = h.createQuery("SELECT seed FROM reviews WHERE conversation_id = :id")
                    .bind("id", conversationId).mapTo(Boolean.class).one();
            log(h, conversationId, "seed", Boolean.toString(seed), actor);
            return seed;
        });
    }

    public void note(String conversationId, String notes, String actor) {
        writes.useTransaction(h -> {
            ensureReview(h, conversationId);
            h.createUpdate("UPDATE reviews SET notes = :n, reviewer = :a, updated_at = :at WHERE conversation_id = :id")
                    .bind("n", notes).bind("a", actor).bind("at", System.currentTimeMillis())
                    .bind("id", conversationId).execute();
            log(h, conversationId, "note", notes, actor);
        });
    }

    /**
     * Replaces a turn's text and keeps the previous text as a new edit version; returns the version.
     * The generated original stays readable as version 1's old content.
     */
    public int editTurn(String conversationId, int turnIndex, String newContent, String editor) {
        return writes.inTransaction(h -> {
            Optional<String> current = h.createQuery("SELECT content FROM turns WHERE conversation_id = :id AND idx = :i")
                    .bind("id", conversationId).bind("i", turnIndex).mapTo(String.class).findOne();
            if (current.isEmpty()) {
                throw new BadInputException("conversation " + conversationId + " has no turn " + turnIndex
                        + ": pick a turn index shown by the review page");
            }
            int version = h.createQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM turn_edits"
                            + " WHERE conversation_id = :id AND idx = :i")
                    .bind("id", conversationId).bind("i", turnIndex).mapTo(Integer.class).one();
            long now = System.currentTimeMillis();
            h.createUpdate("INSERT INTO turn_edits (conversation_id, idx, version, old_content, new_content, editor, at)"
                            + " VALUES (:id, :i, :v, :old, :new, :e, :at)")
                    .bind("id", conversationId).bind("i", turnIndex).bind("v", version).bind("old", current.get())
                    .bind("new", newContent).bind("e", editor).bind("at", now).execute();
            h.createUpdate("UPDATE turns SET content = :c WHERE conversation_id = :id AND idx = :i")
                    .bind("c", newContent).bind("id", conversationId).bind("i", turnIndex).execute();
            ensureReview(h, conversationId);
            if (approvedSeed(h, conversationId))
                LineageDao.flagDescendants(h, conversationId, "had turn " + turnIndex + " edited (version " + version + ")"
                        + (editor == null ? "" : " by " + editor));
            log(h, conversationId, "edit", "turn " + turnIndex + " v" + version, editor);
            return version;
        });
    }

    public List<TurnEdit> edits(String conversationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM turn_edits WHERE conversation_id = :id ORDER BY idx, version")
                .bind("id", conversationId)
                .map((rs, ctx) -> new TurnEdit(rs.getString("conversation_id"), rs.getInt("idx"), rs.getInt("version"),
                        rs.getString("old_content"), rs.getString("new_content"), rs.getString("editor"),
                        Times.instant(rs, "at")))
                .list());
    }

    /** The turn's text as generated (or imported), before any edit. */
    public Optional<String> originalContent(String conversationId, int turnIndex) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT COALESCE(
                            (SELECT old_content FROM turn_edits WHERE conversation_id = :id AND idx = :i AND version = 1),
                            (SELECT content FROM turns WHERE conversation_id = :id AND idx = :i))""")
                .bind("id", conversationId).bind("i", turnIndex).mapTo(String.class).findOne());
    }

    /** The review log, oldest first. */
    public List<ReviewAction> actions(String conversationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM review_actions WHERE conversation_id = :id ORDER BY at, id")
                .bind("id", conversationId)
                .map((rs, ctx) -> new ReviewAction(rs.getLong("id"), rs.getString("conversation_id"),
                        rs.getString("action"), rs.getString("detail"), rs.getString("actor"), Times.instant(rs, "at")))
                .list());
    }

    /**
     * Records that a person edited the conversation before approving it somewhere else (another annotation tool),
     * so it counts as a defect like an edit made here.
     */
    public void recordEditedElsewhere(String conversationId, String actor) {
        writes.useTransaction(h -> {
            ensureReview(h, conversationId);
            log(h, conversationId, "edited", "edited before approval, outside brun", actor);
        });
    }

    /** Ids of approved seed conversations; null persona or arc does not filter. Oldest first. */
    public List<String> approvedSeeds(String personaKey, String arcKey) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT c.id FROM conversations c JOIN reviews r ON r.conversation_id = c.id"
                    + " WHERE r.status = 'approved' AND r.seed = TRUE"
                    + (personaKey != null ? " AND c.persona_key = :p" : "")
                    + (arcKey != null ? " AND c.arc_key = :a" : "")
                    + " ORDER BY c.created_at, c.id");
            if (personaKey != null) q.bind("p", personaKey);
            if (arcKey != null) q.bind("a", arcKey);
            return q.mapTo(String.class).list();
        });
    }

    /** An approved seed example: its text may be in expansion prompts, so a change to it reaches its descendants. */
    private static boolean approvedSeed(Handle h, String conversationId) {
        return h.createQuery("SELECT COUNT(*) FROM reviews WHERE conversation_id = :id AND status = 'approved' AND seed = TRUE")
                .bind("id", conversationId).mapTo(Long.class).one() > 0;
    }

    private void ensureReview(Handle h, String conversationId) {
        boolean exists = h.createQuery("SELECT COUNT(*) FROM conversations WHERE id = :id")
                .bind("id", conversationId).mapTo(Long.class).one() > 0;
        if (!exists) {
            throw new BadInputException("no conversation with id " + conversationId
                    + ": list ids with `brun list` or the review page");
        }
        h.createUpdate("INSERT INTO reviews (conversation_id, status, seed, updated_at) VALUES (:id, 'pending', FALSE, :at)"
                        + " ON CONFLICT DO NOTHING")
                .bind("id", conversationId).bind("at", System.currentTimeMillis()).execute();
    }

    private void log(Handle h, String conversationId, String action, String detail, String actor) {
        h.createUpdate("INSERT INTO review_actions (conversation_id, action, detail, actor, at) VALUES (:id, :ac, :d, :a, :at)")
                .bind("id", conversationId).bind("ac", action).bind("d", detail).bind("a", actor)
                .bind("at", System.currentTimeMillis()).execute();
    }
}

package dev.brun.store;

import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/** Eval runs, the replies the models gave and the judge's verdicts on them, each row under its key. */
public final class EvalDao {
    /** One eval run: its id, the manifest (JSON) that identifies it, and when it started and last finished. */
    public record Run(String id, String manifestHash, String manifest, long createdAt, Long finishedAt) {}

    /** A stored reply of one model (role {@code adapter} or {@code baseline}) at one consultant turn. */
    public record Reply(String conversationId, int turnIndex, String role, String reply, String stopReason) {}

    /** A stored judge verdict (JSON) of one kind on one reply. */
    public record Judgement(String conversationId, int turnIndex, String role, String kind, String verdict) {}

    private final Jdbi jdbi;
    private final Writes writes;
    private final Dialect dialect;

    public EvalDao(Database db) {
        this.jdbi = db.jdbi();
        this.writes = db.writes();
        this.dialect = db.dialect();
    }

    /** The run with this id, created with the manifest when it does not exist yet. */
    public Run createIfAbsent(String id, String manifestHash, String manifest) {
        writes.useTransaction(h -> h.createUpdate(dialect.insertIgnore("eval_runs", List.of("id", "manifest_hash", "manifest", "created_at")))
                .bind("id", id).bind("manifest_hash", manifestHash).bind("manifest", manifest)
                .bind("created_at", System.currentTimeMillis()).execute());
        return run(id).orElseThrow();
    }

    public Optional<Run> run(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM eval_runs WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new Run(rs.getString("id"), rs.getString("manifest_hash"), rs.getString("manifest"),
                        rs.getLong("created_at"), rs.getObject("finished_at") == null ? null : rs.getLong("finished_at")))
                .findOne());
    }

    /** Every run, newest first. */
    public List<Run> runs() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM eval_runs ORDER BY created_at DESC, id")
                .map((rs, ctx) -> new Run(rs.getString("id"), rs.getString("manifest_hash"), rs.getString("manifest"),
                        rs.getLong("created_at"), rs.getObject("finished_at") == null ? null : rs.getLong("finished_at")))
                .list());
    }

    public void markFinished(String id) {
        writes.useTransaction(h -> h.createUpdate("UPDATE eval_runs SET finished_at = :t WHERE id = :id")
                .bind("t", System.currentTimeMillis()).bind("id", id).execute());
    }

    /** Stores a reply; a reply already stored under the same key stays (the first answer is the one judged). */
    public void putReply(String runId, Reply r) {
        writes.useTransaction(h -> h.createUpdate(dialect.insertIgnore("eval_replies",
                        List.of("run_id", "conversation_id", "turn_index", "model_role", "reply", "stop_reason", "created_at")))
                .bind("run_id", runId).bind("conversation_id", r.conversationId()).bind("turn_index", r.turnIndex())
                .bind("model_role", r.role()).bind("reply", r.reply()).bind("stop_reason", r.stopReason())
                .bind("created_at", System.currentTimeMillis()).execute());
    }

    public List<Reply> replies(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM eval_replies WHERE run_id = :r ORDER BY conversation_id, turn_index, model_role")
                .bind("r", runId)
                .map((rs, ctx) -> new Reply(rs.getString("conversation_id"), rs.getInt("turn_index"), rs.getString("model_role"),
                        rs.getString("reply"), rs.getString("stop_reason")))
                .list());
    }

    /** How many replies a run has stored. */
    public int replyCount(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM eval_replies WHERE run_id = :r").bind("r", runId).mapTo(Integer.class).one());
    }

    /** How many judge verdicts a run has stored. */
    public int judgementCount(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM eval_judgements WHERE run_id = :r").bind("r", runId).mapTo(Integer.class).one());
    }

    public void putJudgement(String runId, Judgement j) {
        writes.useTransaction(h -> h.createUpdate(dialect.insertIgnore("eval_judgements",
                        List.of("run_id", "conversation_id", "turn_index", "model_role", "kind", "verdict", "created_at")))
                .bind("run_id", runId).bind("conversation_id", j.conversationId()).bind("turn_index", j.turnIndex())
                .bind("model_role", j.role()).bind("kind", j.kind()).bind("verdict", j.verdict())
                .bind("created_at", System.currentTimeMillis()).execute());
    }

    public List<Judgement> judgements(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM eval_judgements WHERE run_id = :r ORDER BY conversation_id, turn_index, model_role, kind")
                .bind("r", runId)
                .map((rs, ctx) -> new Judgement(rs.getString("conversation_id"), rs.getInt("turn_index"), rs.getString("model_role"),
                        rs.getString("kind"), rs.getString("verdict")))
                .list());
    }
}

package dev.brun.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;

/** Quality flags and rubric scores. */
public final class QualityDao {
    private final Jdbi jdbi;
    private final Writes writes;
    private final Dialect dialect;

    QualityDao(Jdbi jdbi, Writes writes, Dialect dialect) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.dialect = dialect;
    }

    /**
     * The flag generation sets on a reply it repaired to fit the unit's contract. No check can re-derive it from
     * the stored conversation, so re-checks keep it.
     */
    public static final String REPAIRED = "reply_repaired";

    /**
     * Replaces every check flag of a conversation with these (a re-check supersedes the last one); keeps {@link #REPAIRED}
     * and {@link LineageDao#SEED_CHANGED}, which no check can re-derive from the stored conversation.
     */
    public void replaceFlags(String conversationId, List<QualityFlag> flags) {
        writes.useTransaction(h -> {
            h.createUpdate("DELETE FROM quality_flags WHERE conversation_id = :id AND code <> :repaired AND code <> :seedChanged")
                    .bind("id", conversationId).bind("repaired", REPAIRED).bind("seedChanged", LineageDao.SEED_CHANGED).execute();
            if (flags.isEmpty()) return;
            PreparedBatch batch = h.prepareBatch("""
                    INSERT INTO quality_flags (conversation_id, code, severity, reason, turn_index, related_conversation_id)
                    VALUES (:id, :code, :severity, :reason, :turnIndex, :related)""");
            for (QualityFlag f : flags) {
                batch.bind("id", conversationId).bind("code", f.code()).bind("severity", f.severity().wire())
                        .bind("reason", f.reason()).bind("turnIndex", f.turnIndex())
                        .bind("related", f.relatedConversationId()).add();
            }
            batch.execute();
        });
    }

    public void addFlag(String conversationId, QualityFlag f) {
        writes.useTransaction(h -> h.createUpdate("""
                INSERT INTO quality_flags (conversation_id, code, severity, reason, turn_index, related_conversation_id)
                VALUES (:id, :code, :severity, :reason, :turnIndex, :related)""")
                .bind("id", conversationId).bind("code", f.code()).bind("severity", f.severity().wire())
                .bind("reason", f.reason()).bind("turnIndex", f.turnIndex()).bind("related", f.relatedConversationId()).execute());
    }

    public List<QualityFlag> flags(String conversationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM quality_flags WHERE conversation_id = :id ORDER BY id")
                .bind("id", conversationId).map((rs, ctx) -> flag(rs)).list());
    }

    public void putScores(String conversationId, Scores s) {
        writes.useTransaction(h -> h.createUpdate(dialect.upsert("scores", List.of("conversation_id"), List.of(
                        "conversation_id", "empathy", "clarity", "appropriateness", "brand_voice", "overall", "method", "reasons")))
                .bind("conversation_id", conversationId).bind("empathy", s.empathy()).bind("clarity", s.clarity())
                .bind("appropriateness", s.appropriateness()).bind("brand_voice", s.brandVoice())
                .bind("overall", s.overall()).bind("method", s.method()).bind("reasons", JsonColumns.write(s.reasons()))
                .execute());
    }

    public Optional<Scores> scores(String conversationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scores WHERE conversation_id = :id")
                .bind("id", conversationId).map((rs, ctx) -> scores(rs)).findOne());
    }

    /** Conversations carrying each flag code, most frequent first. */
    public Map<String, Long> flagCountsByCode() {
        return jdbi.withHandle(h -> {
            Map<String, Long> out = new LinkedHashMap<>();
            h.createQuery("SELECT code, COUNT(DISTINCT conversation_id) AS n FROM quality_flags GROUP BY code ORDER BY n DESC, code")
                    .map((rs, ctx) -> Map.entry(rs.getString("code"), rs.getLong("n")))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** Usable = stored, not rejected by a reviewer and without an error-severity flag. */
    public boolean usable(String conversationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM conversations c"
                        + " LEFT JOIN reviews r ON r.conversation_id = c.id WHERE c.id = :id AND "
                        + ConversationDao.USABLE_CONDITION)
                .bind("id", conversationId).mapTo(Long.class).one() == 1);
    }

    public long usableCount() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM conversations c"
                + " LEFT JOIN reviews r ON r.conversation_id = c.id WHERE " + ConversationDao.USABLE_CONDITION)
                .mapTo(Long.class).one());
    }

    static QualityFlag flag(ResultSet rs) throws SQLException {
        return new QualityFlag(rs.getString("code"), Severity.fromWire(rs.getString("severity")), rs.getString("reason"),
                Times.nullableInt(rs, "turn_index"), rs.getString("related_conversation_id"));
    }

    static Scores scores(ResultSet rs) throws SQLException {
        return new Scores(rs.getDouble("empathy"), rs.getDouble("clarity"), rs.getDouble("appropriateness"),
                rs.getDouble("brand_voice"), rs.getDouble("overall"), rs.getString("method"),
                JsonColumns.reasons(rs.getString("reasons")));
    }
}

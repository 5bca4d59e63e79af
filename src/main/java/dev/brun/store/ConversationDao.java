package dev.brun.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Generation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Review;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Role;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Source;
import dev.brun.conversation.Provenance;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;

/** Conversations with their turns, generation record, scores, flags and review. */
public final class ConversationDao {
    private static final int STREAM_CHUNK = 500;

    private static final String INSERT_CONVERSATION = """
            INSERT INTO conversations (id, unit_key, persona_key, arc_key, topic_key, variation_index, phase,
                                       session_context, expected_outcome, source, provider, model, content_hash,
                                       created_at, system_prompt, recorded_date, arc_name, topic_name)
            VALUES (:id, :unitKey, :persona, :arc, :topic, :variation, :phase, :sessionContext, :expectedOutcome,
                    :source, :provider, :model, :contentHash, :createdAt, :systemPrompt, :recordedDate, :arcName,
                    :topicName)
            ON CONFLICT DO NOTHING""";
    private static final String INSERT_TURN = """
            INSERT INTO turns (conversation_id, idx, role, content, emotion_primary, emotion_secondary,
                               emotion_intensity, emotion_confidence, emotion_valence, phase, learning_objective, skills)
            VALUES (:conversationId, :idx, :role, :content, :primary, :secondary, :intensity, :confidence, :valence,
                    :phase, :learningObjective, :skills)""";
    private static final String INSERT_GENERATION = """
            INSERT INTO generations (conversation_id, provider, model, temperature, input_tokens, output_tokens,
                                     cache_read_tokens, cache_write_tokens, cost_usd, latency_ms, stop_reason,
                                     attempts, request_id)
            VALUES (:id, :provider, :model, :temperature, :inputTokens, :outputTokens, :cacheReadTokens,
                    :cacheWriteTokens, :costUsd, :latencyMillis, :stopReason, :attempts, :requestId)""";
    private static final String HEAD_SELECT = """
            SELECT c.*, COALESCE(r.status, 'pending') AS review_status, COALESCE(r.seed, FALSE) AS review_seed,
                   r.notes AS review_notes, r.reviewer AS review_reviewer, r.updated_at AS review_at,
                   g.provider AS g_provider, g.model AS g_model, g.temperature, g.input_tokens, g.output_tokens,
                   g.cache_read_tokens, g.cache_write_tokens, g.cost_usd, g.latency_ms, g.stop_reason, g.attempts,
                   g.request_id,
                   s.empathy, s.clarity, s.appropriateness, s.brand_voice, s.overall, s.method, s.reasons
              FROM conversations c
              LEFT JOIN reviews r ON r.conversation_id = c.id
              LEFT JOIN generations g ON g.conversation_id = c.id
              LEFT JOIN scores s ON s.conversation_id = c.id
            """;
    private static final String ROW_SELECT = """
            SELECT c.id, c.unit_key, c.persona_key, c.arc_key, c.topic_key, c.variation_index, c.phase, c.source,
                   c.provider, c.model, c.created_at,
                   COALESCE(r.status, 'pending') AS review_status, COALESCE(r.seed, FALSE) AS review_seed, s.overall,
                   (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) AS turn_count,
                   (SELECT COUNT(*) FROM quality_flags f WHERE f.conversation_id = c.id AND f.severity = 'error') AS error_flags,
                   (SELECT COUNT(*) FROM quality_flags f WHERE f.conversation_id = c.id AND f.severity = 'warning') AS warning_flags
              FROM conversations c
              LEFT JOIN reviews r ON r.conversation_id = c.id
              LEFT JOIN scores s ON s.conversation_id = c.id
            """;
    private static final String FROM_FILTERED = """
              FROM conversations c
              LEFT JOIN reviews r ON r.conversation_id = c.id
              LEFT JOIN scores s ON s.conversation_id = c.id
            """;

    private final Jdbi jdbi;
    private final Writes writes;
    private final Dialect dialect;

    ConversationDao(Jdbi jdbi, Writes writes, Dialect dialect) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.dialect = dialect;
    }

    /**
     * Stores a generated conversation, its turns, generation record and ledger line, and marks its
     * unit done, all in one transaction. Returns false and writes nothing when a conversation for the
     * same unit key (or id) is already stored.
     */
    public boolean storeGenerated(ConversationRecordBundle bundle) {
        Conversation c = bundle.conversation();
        Generation g = bundle.generation();
        return writes.inTransaction(h -> {
            boolean taken = h.createQuery("SELECT COUNT(*) FROM conversations WHERE unit_key = :k OR id = :id")
                    .bind("k", c.unitKey()).bind("id", c.id()).mapTo(Long.class).one() > 0;
            if (taken || !insertConversation(h, c, Source.GENERATED, Provenance.NONE)) return false;
            h.createUpdate(INSERT_GENERATION).bind("id", c.id()).bindMethods(g).execute();
            LedgerDao.insert(h, LedgerEntry.of(c.unitKey(), c.scaffolding().phase(), g, bundle.cacheWrite1hTokens(), bundle.batch(),
                    LedgerOutcome.STORED, Instant.now()));
            h.createUpdate("UPDATE units SET state = 'done', lease_owner = NULL, lease_until = NULL,"
                            + " failure_reason = NULL, failure_detail = NULL, updated_at = " + dialect.nowMillis()
                            + " WHERE unit_key = :key")
                    .bind("key", c.unitKey()).execute();
            return true;
        });
    }

    /** Stores an imported conversation (no generation, no ledger); false when its id already exists. */
    public boolean insertImported(Conversation conversation) {
        return insertImported(conversation, Provenance.NONE);
    }

    /** Stores an imported conversation with what its file recorded (system prompt, generation date). */
    public boolean insertImported(Conversation conversation, Provenance provenance) {
        return writes.inTransaction(h -> insertConversation(h, conversation, Source.IMPORTED, provenance));
    }

    private boolean insertConversation(Handle h, Conversation c, Source source, Provenance provenance) {
        Scaffolding s = c.scaffolding();
        long now = System.currentTimeMillis();
        int added = h.createUpdate(INSERT_CONVERSATION)
                .bind("id", c.id()).bind("unitKey", c.unitKey()).bind("persona", s.personaKey())
                .bind("arc", s.arcKey()).bind("topic", s.topicKey()).bind("variation", s.variationIndex())
                .bind("phase", s.phase()).bind("sessionContext", c.sessionContext())
                .bind("expectedOutcome", c.expectedOutcome()).bind("source", source.wire())
                .bind("provider", c.provider()).bind("model", c.model()).bind("contentHash", ContentHash.of(c))
                .bind("createdAt", now)
                .bind("systemPrompt", provenance.systemPrompt())
                .bind("recordedDate", provenance.recordedDate() == null ? null : provenance.recordedDate().toString())
                .bind("arcName", provenance.arcName()).bind("topicName", provenance.topicName())
                .execute();
        if (added == 0) return false;
        if (!c.turns().isEmpty()) {
            PreparedBatch batch = h.prepareBatch(INSERT_TURN);
            for (Turn t : c.turns()) {
                Emotion e = t.emotion();
                batch.bind("conversationId", c.id()).bind("idx", t.index()).bind("role", t.role().wire())
                        .bind("content", t.content())
                        .bind("primary", e == null ? null : e.primary())
                        .bind("secondary", e == null ? null : e.secondary())
                        .bind("intensity", e == null ? null : e.intensity())
                        .bind("confidence", e == null ? null : e.confidence())
                        .bind("valence", e == null || e.valence() == null ? null : e.valence().wire())
                        .bind("phase", t.phase()).bind("learningObjective", t.learningObjective())
                        .bind("skills", JsonColumns.write(t.skills()))
                        .add();
            }
            batch.execute();
        }
        h.createUpdate("INSERT INTO reviews (conversation_id, status, seed, updated_at) VALUES (:id, 'pending', FALSE, :at)"
                        + " ON CONFLICT DO NOTHING")
                .bind("id", c.id()).bind("at", now).execute();
        return true;
    }

    public Optional<StoredConversation> find(String id) {
        return jdbi.withHandle(h -> load(h, "c.id = :v", id).stream().findFirst());
    }

    public Optional<StoredConversation> findByUnitKey(String unitKey) {
        return jdbi.withHandle(h -> load(h, "c.unit_key = :v", unitKey).stream().findFirst());
    }

    /**
     * Output tokens of the generated conversations stored per arc (the reply that was stored, whatever it took
     * to get it), for sizing max_tokens from what this project's model really writes.
     */
    public java.util.Map<String, List<Long>> generatedOutputTokensByArc() {
        return jdbi.withHandle(h -> {
            java.util.Map<String, List<Long>> out = new java.util.HashMap<>();
            h.createQuery("SELECT c.arc_key, g.output_tokens FROM conversations c JOIN generations g ON g.conversation_id = c.id"
                            + " WHERE c.source = 'generated' AND g.output_tokens > 0")
                    .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
            return out;
        });
    }

    /** One page (0-based) of conversations matching the filter, oldest first, with the total count. */
    public Page<ConversationRow> list(ConversationFilter filter, int page, int pageSize) {
        return list(filter, ConversationOrder.CREATED, page, pageSize);
    }

    /** One page (0-based) of conversations matching the filter in the given order, with the total count. */
    public Page<ConversationRow> list(ConversationFilter filter, ConversationOrder order, int page, int pageSize) {
        Where where = where(filter);
        return jdbi.withHandle(h -> {
            var count = h.createQuery("SELECT COUNT(*) " + FROM_FILTERED + where.sql());
            where.bindTo(count);
            long total = count.mapTo(Long.class).one();
            var query = h.createQuery(ROW_SELECT + where.sql() + order.orderBy(true) + " LIMIT :limit OFFSET :offset")
                    .bind("limit", pageSize).bind("offset", (long) page * pageSize);
            where.bindTo(query);
            List<ConversationRow> rows = query.map((rs, ctx) -> row(rs)).list();
            return new Page<>(rows, page, pageSize, total);
        });
    }

    /**
     * The conversation after (forward) or before the given one in the filter's order. The given one need not
     * match the filter any more: its sort key still places it, so a walk over pending conversations goes on
     * to the next pending one after an approval instead of skipping it.
     */
    public Optional<String> neighbour(ConversationFilter filter, ConversationOrder order, String id, boolean forward) {
        Where where = where(filter);
        return jdbi.withHandle(h -> {
            Optional<Anchor> anchor = anchor(h, order, id);
            if (anchor.isEmpty()) return Optional.<String>empty();
            String after = order.beyond(forward ? ">" : "<");
            var q = h.createQuery("SELECT c.id " + FROM_FILTERED + where.sql() + (where.sql().isEmpty() ? " WHERE " : " AND ")
                    + after + order.orderBy(forward) + " LIMIT 1");
            where.bindTo(q);
            anchor.get().bindTo(q);
            return q.mapTo(String.class).findOne();
        });
    }

    /** How many conversations matching the filter come before the given one in the order (its 0-based position). */
    public long positionOf(ConversationFilter filter, ConversationOrder order, String id) {
        Where where = where(filter);
        return jdbi.withHandle(h -> {
            Optional<Anchor> anchor = anchor(h, order, id);
            if (anchor.isEmpty()) return 0L;
            String before = order.beyond("<");
            var q = h.createQuery("SELECT COUNT(*) " + FROM_FILTERED + where.sql() + (where.sql().isEmpty() ? " WHERE " : " AND ") + before);
            where.bindTo(q);
            anchor.get().bindTo(q);
            return q.mapTo(Long.class).one();
        });
    }

    /** A conversation's place in an order: its leading sort key, creation time and id. */
    private record Anchor(ConversationOrder order, Object leading, long createdAt, String id) {
        void bindTo(SqlStatement<?> q) {
            if (order.hasLeadingKey()) q.bind("k1", leading);
            q.bind("kAt", createdAt).bind("kId", id);
        }
    }

    private static Optional<Anchor> anchor(Handle h, ConversationOrder order, String id) {
        return h.createQuery("SELECT " + order.leadingSelect() + " AS k1, c.created_at AS k_at, c.id AS k_id " + FROM_FILTERED
                        + " WHERE c.id = :anchorId")
                .bind("anchorId", id)
                .map((rs, ctx) -> new Anchor(order, rs.getObject("k1"), rs.getLong("k_at"), rs.getString("k_id")))
                .findOne();
    }

    public long count(ConversationFilter filter) {
        Where where = where(filter);
        return jdbi.withHandle(h -> {
            var count = h.createQuery("SELECT COUNT(*) " + FROM_FILTERED + where.sql());
            where.bindTo(count);
            return count.mapTo(Long.class).one();
        });
    }

    /** Every matching conversation in id order, loaded a chunk at a time so memory stays flat. */
    public void streamAll(ConversationFilter filter, Consumer<StoredConversation> consumer) {
        Where where = where(filter);
        String after = null;
        while (true) {
            String from = after;
            List<String> ids = jdbi.withHandle(h -> {
                var q = h.createQuery("SELECT c.id " + FROM_FILTERED + where.sql()
                        + (from == null ? "" : (where.sql().isEmpty() ? " WHERE " : " AND ") + "c.id > :after")
                        + " ORDER BY c.id LIMIT :limit").bind("limit", STREAM_CHUNK);
                if (from != null) q.bind("after", from);
                where.bindTo(q);
                return q.mapTo(String.class).list();
            });
            if (ids.isEmpty()) return;
            jdbi.useHandle(h -> loadAll(h, ids).forEach(consumer));
            if (ids.size() < STREAM_CHUNK) return;
            after = ids.getLast();
        }
    }

    /** Conversations by id, in the order given (missing ids are skipped). */
    public List<StoredConversation> findAll(List<String> ids) {
        if (ids.isEmpty()) return List.of();
        return jdbi.withHandle(h -> loadAll(h, ids));
    }

    private List<StoredConversation> loadAll(Handle h, List<String> ids) {
        List<StoredConversation> loaded = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += STREAM_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + STREAM_CHUNK));
            Map<String, StoredConversation> byId = new HashMap<>();
            for (StoredConversation c : loadIn(h, chunk)) byId.put(c.conversation().id(), c);
            for (String id : chunk) {
                StoredConversation c = byId.get(id);
                if (c != null) loaded.add(c);
            }
        }
        return loaded;
    }

    private List<StoredConversation> load(Handle h, String condition, String value) {
        List<String> ids = h.createQuery("SELECT c.id FROM conversations c WHERE " + condition)
                .bind("v", value).mapTo(String.class).list();
        return ids.isEmpty() ? List.of() : loadIn(h, ids);
    }

    private List<StoredConversation> loadIn(Handle h, List<String> ids) {
        Map<String, List<Turn>> turns = new HashMap<>();
        h.createQuery("SELECT * FROM turns WHERE conversation_id IN (<ids>) ORDER BY conversation_id, idx")
                .bindList("ids", ids)
                .map((rs, ctx) -> Map.entry(rs.getString("conversation_id"), turn(rs)))
                .forEach(e -> turns.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<String, List<QualityFlag>> flags = new HashMap<>();
        h.createQuery("SELECT * FROM quality_flags WHERE conversation_id IN (<ids>) ORDER BY conversation_id, id")
                .bindList("ids", ids)
                .map((rs, ctx) -> Map.entry(rs.getString("conversation_id"), QualityDao.flag(rs)))
                .forEach(e -> flags.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<String, StoredConversation> out = new LinkedHashMap<>();
        h.createQuery(HEAD_SELECT + " WHERE c.id IN (<ids>) ORDER BY c.id")
                .bindList("ids", ids)
                .map((rs, ctx) -> stored(rs, turns.getOrDefault(rs.getString("id"), List.of()),
                        flags.getOrDefault(rs.getString("id"), List.of())))
                .forEach(c -> out.put(c.conversation().id(), c));
        return new ArrayList<>(out.values());
    }

    private static StoredConversation stored(ResultSet rs, List<Turn> turns, List<QualityFlag> flags) throws SQLException {
        Scaffolding scaffolding = new Scaffolding(rs.getString("persona_key"), rs.getString("arc_key"),
                rs.getString("topic_key"), rs.getInt("variation_index"), rs.getString("phase"));
        Conversation conversation = new Conversation(rs.getString("id"), rs.getString("unit_key"), scaffolding,
                rs.getString("session_context"), rs.getString("expected_outcome"), turns,
                Source.fromWire(rs.getString("source")), rs.getString("provider"), rs.getString("model"));
        Optional<Generation> generation = rs.getString("g_provider") == null ? Optional.empty()
                : Optional.of(new Generation(rs.getString("g_provider"), rs.getString("g_model"),
                rs.getDouble("temperature"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens"), rs.getDouble("cost_usd"),
                rs.getLong("latency_ms"), rs.getString("stop_reason"), rs.getInt("attempts"), rs.getString("request_id")));
        Optional<Scores> scores = rs.getString("method") == null ? Optional.empty()
                : Optional.of(QualityDao.scores(rs));
        Review review = new Review(ReviewStatus.fromWire(rs.getString("review_status")), rs.getBoolean("review_seed"),
                rs.getString("review_notes"), rs.getString("review_reviewer"), Times.instant(rs, "review_at"));
        String recordedDate = rs.getString("recorded_date");
        return new StoredConversation(conversation, generation, scores, flags, review, rs.getString("content_hash"),
                Times.instant(rs, "created_at"), new Provenance(rs.getString("system_prompt"),
                recordedDate == null ? null : java.time.LocalDate.parse(recordedDate), rs.getString("arc_name"),
                rs.getString("topic_name")));
    }

    private static Turn turn(ResultSet rs) throws SQLException {
        Role role = Role.fromWire(rs.getString("role"));
        String primary = rs.getString("emotion_primary");
        Emotion emotion = null;
        if (primary != null) {
            String valence = rs.getString("emotion_valence");
            emotion = new Emotion(primary, rs.getString("emotion_secondary"), rs.getDouble("emotion_intensity"),
                    rs.getDouble("emotion_confidence"), valence == null ? null : Valence.fromWire(valence));
        }
        return new Turn(rs.getInt("idx"), role, rs.getString("content"), emotion, rs.getString("phase"),
                rs.getString("learning_objective"), JsonColumns.stringList(rs.getString("skills")));
    }

    private static ConversationRow row(ResultSet rs) throws SQLException {
        Scaffolding scaffolding = new Scaffolding(rs.getString("persona_key"), rs.getString("arc_key"),
                rs.getString("topic_key"), rs.getInt("variation_index"), rs.getString("phase"));
        double overall = rs.getDouble("overall");
        Double overallOrNull = rs.wasNull() ? null : overall;
        return new ConversationRow(rs.getString("id"), rs.getString("unit_key"), scaffolding,
                Source.fromWire(rs.getString("source")), rs.getString("provider"), rs.getString("model"),
                rs.getInt("turn_count"), ReviewStatus.fromWire(rs.getString("review_status")),
                rs.getBoolean("review_seed"), overallOrNull, rs.getInt("error_flags"), rs.getInt("warning_flags"),
                Times.instant(rs, "created_at"));
    }

    /** A WHERE clause over conversations c, reviews r and scores s, with its bindings. */
    private record Where(String sql, Map<String, Object> bindings) {
        void bindTo(SqlStatement<?> statement) {
            bindings.forEach(statement::bind);
        }
    }

    static final String USABLE_CONDITION = "COALESCE(r.status, 'pending') <> 'rejected' AND NOT EXISTS"
            + " (SELECT 1 FROM quality_flags f WHERE f.conversation_id = c.id AND f.severity = 'error')";

    private Where where(ConversationFilter f) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> b = new LinkedHashMap<>();
        if (f.personaKey() != null) { conditions.add("c.persona_key = :persona"); b.put("persona", f.personaKey()); }
        if (f.arcKey() != null) { conditions.add("c.arc_key = :arc"); b.put("arc", f.arcKey()); }
        if (f.topicKey() != null) { conditions.add("c.topic_key = :topic"); b.put("topic", f.topicKey()); }
        if (f.phase() != null) { conditions.add("c.phase = :phase"); b.put("phase", f.phase()); }
        if (f.reviewStatus() != null) {
            conditions.add("COALESCE(r.status, 'pending') = :reviewStatus");
            b.put("reviewStatus", f.reviewStatus().wire());
        }
        if (f.flagCode() != null) {
            conditions.add("EXISTS (SELECT 1 FROM quality_flags f WHERE f.conversation_id = c.id AND f.code = :flagCode)");
            b.put("flagCode", f.flagCode());
        }
        if (f.minOverall() != null) { conditions.add("s.overall >= :minOverall"); b.put("minOverall", f.minOverall()); }
        if (f.maxOverall() != null) { conditions.add("s.overall <= :maxOverall"); b.put("maxOverall", f.maxOverall()); }
        if (f.text() != null && !f.text().isBlank()) {
            Dialect.TextMatch match = dialect.turnTextMatch(f.text().strip());
            conditions.add(match.condition());
            b.put("text", match.text());
        }
        if (f.flagPresence() == ConversationFilter.FlagPresence.ANY_ERROR)
            conditions.add("EXISTS (SELECT 1 FROM quality_flags f WHERE f.conversation_id = c.id AND f.severity = 'error')");
        if (f.flagPresence() == ConversationFilter.FlagPresence.NONE)
            conditions.add("NOT EXISTS (SELECT 1 FROM quality_flags f WHERE f.conversation_id = c.id)");
        if (f.seedOnly()) conditions.add("r.seed = TRUE");
        if (f.usableOnly()) conditions.add(USABLE_CONDITION);
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), b);
    }
}

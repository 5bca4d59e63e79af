package dev.brun.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Seed lineage: which approved seed conversations each expansion unit's prompt carried. Recorded per unit when
 * its request is built; a conversation finds its seeds through its unit key. A change to a seed flags its
 * descendants ({@link #SEED_CHANGED}, a warning naming the seed and the change) in the same transaction.
 */
public final class LineageDao {
    /** The flag a descendant gets when one of its seeds is rejected or edited; re-checks keep it. */
    public static final String SEED_CHANGED = "seed_changed";

    private final Jdbi jdbi;
    private final Writes writes;

    LineageDao(Jdbi jdbi, Writes writes) {
        this.jdbi = jdbi;
        this.writes = writes;
    }

    /** Replaces what the unit's prompt carries (a unit built again after a crash carries the latest choice). */
    public void recordPrompt(String unitKey, List<String> seedIds) {
        writes.useTransaction(h -> {
            h.createUpdate("DELETE FROM seed_lineage WHERE unit_key = :u").bind("u", unitKey).execute();
            if (seedIds.isEmpty()) return;
            PreparedBatch batch = h.prepareBatch("INSERT INTO seed_lineage (unit_key, seed_conversation_id, position) VALUES (:u, :s, :p)");
            for (int i = 0; i < seedIds.size(); i++) batch.bind("u", unitKey).bind("s", seedIds.get(i)).bind("p", i).add();
            batch.execute();
        });
    }

    /** The seed conversations whose text this conversation's prompt carried, in prompt order (empty: none). */
    public List<String> seedsOf(String conversationId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT l.seed_conversation_id FROM conversations c JOIN seed_lineage l ON l.unit_key = c.unit_key
                        WHERE c.id = :id ORDER BY l.position""")
                .bind("id", conversationId).mapTo(String.class).list());
    }

    /** The stored conversations generated from prompts carrying this seed, by id. */
    public List<String> descendants(String seedId) {
        return jdbi.withHandle(h -> descendants(h, seedId));
    }

    /**
     * The seed group of every conversation that has seeds: its seed ids in prompt order joined by "+". Units of one
     * persona x arc share their examples, so the group is what `--by seed` stratifies by.
     */
    public Map<String, String> seedGroups() {
        return jdbi.withHandle(LineageDao::seedGroups);
    }

    static Map<String, String> seedGroups(Handle h) {
        Map<String, StringBuilder> groups = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT c.id, l.seed_conversation_id FROM conversations c JOIN seed_lineage l ON l.unit_key = c.unit_key
                        ORDER BY c.id, l.position""")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> {
                    StringBuilder g = groups.get(e.getKey());
                    if (g == null) groups.put(e.getKey(), new StringBuilder(e.getValue()));
                    else g.append('+').append(e.getValue());
                });
        Map<String, String> out = new LinkedHashMap<>();
        groups.forEach((id, g) -> out.put(id, g.toString()));
        return out;
    }

    /** The seed group of one conversation (see {@link #seedGroups()}), or null when its prompt carried no seed. */
    public String seedGroupOf(String conversationId) {
        List<String> seeds = seedsOf(conversationId);
        return seeds.isEmpty() ? null : String.join("+", seeds);
    }

    private static List<String> descendants(Handle h, String seedId) {
        return h.createQuery("""
                        SELECT DISTINCT c.id FROM seed_lineage l JOIN conversations c ON c.unit_key = l.unit_key
                        WHERE l.seed_conversation_id = :s AND c.id <> :s ORDER BY c.id""")
                .bind("s", seedId).mapTo(String.class).list();
    }

    /** Inside the review change's transaction: a warning on each descendant naming the seed and what changed. */
    static int flagDescendants(Handle h, String seedId, String change) {
        List<String> ids = descendants(h, seedId);
        if (ids.isEmpty()) return 0;
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO quality_flags (conversation_id, code, severity, reason, turn_index, related_conversation_id)
                VALUES (:id, :code, 'warning', :reason, NULL, :seed)""");
        String reason = "its example seed " + seedId + " " + change + ": check whether this conversation copied what changed";
        for (String id : ids) batch.bind("id", id).bind("code", SEED_CHANGED).bind("reason", reason).bind("seed", seedId).add();
        batch.execute();
        return ids.size();
    }
}

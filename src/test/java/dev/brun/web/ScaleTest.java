package dev.brun.web;

import dev.brun.project.Project;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list and aggregate pages on 50,000 conversations (200,000 turns). Wall-clock time on a shared 2-core
 * machine is noise, so the test asserts what keeps the pages fast whatever the machine: a fixed, small number
 * of SQL statements per page (no query per row), paging through the index order without sorting the whole
 * table, and no full scan of the turns table. The measured times are printed and recorded in BENCHMARKS.md.
 */
class ScaleTest {
    static final int CONVERSATIONS = 50_000;
    static final int FLAG_EVERY = 50;
    /** The dashboard's aggregates are the most: one per chart; a 50-row list page must not add one per row. */
    static final int MAX_STATEMENTS = 20;

    @TempDir static Path dir;
    static Project project;
    static WebServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<StatementContext> statements = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        project = WebFixture.create(dir, 0);
        seed(project);
        project.db().jdbi().setSqlLogger(new SqlLogger() {
            @Override public void logBeforeExecution(StatementContext context) { statements.add(context); }
        });
        server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null), WebFixture.noGeneration());
        base = "http://127.0.0.1:" + server.port();
    }

    /** Bulk rows straight in SQL: the point is reading speed, and 50,000 DAO inserts would dominate the test. */
    static void seed(Project project) {
        var pack = project.pack();
        List<String> personas = pack.personas().stream().map(p -> p.key()).toList();
        List<String> arcs = pack.arcs().stream().map(a -> a.key()).toList();
        List<String> topics = pack.topics().stream().map(t -> t.key()).toList();
        project.db().jdbi().useTransaction(h -> {
            h.execute("""
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO conversations (id, unit_key, persona_key, arc_key, topic_key, variation_index, phase,
                        session_context, expected_outcome, source, provider, model, content_hash, created_at)
                    SELECT printf('bulk-%06d', i), NULL, """ + pick(personas) + ", " + pick(arcs) + ", " + pick(topics) + """
                           , i, CASE i % 3 WHEN 0 THEN 'expansion' ELSE 'seed' END, 'ctx', 'outcome', 'imported', NULL, NULL,
                           printf('hash-%d', i), 1700000000000 + i FROM n""", CONVERSATIONS);
            for (int idx = 0; idx < 4; idx++)
                h.execute("INSERT INTO turns (conversation_id, idx, role, content, emotion_primary, emotion_intensity,"
                        + " emotion_confidence, emotion_valence) SELECT id, ?, ?, 'turn text of ' || id, 'calm', 0.5, 0.5,"
                        + " 'positive' FROM conversations WHERE id LIKE 'bulk-%'", idx, idx % 2 == 0 ? "user" : "assistant");
            h.execute("INSERT INTO reviews (conversation_id, status, seed, updated_at) SELECT id,"
                    + " CASE CAST(substr(id, 6) AS INTEGER) % 10 WHEN 0 THEN 'approved' WHEN 1 THEN 'rejected' ELSE 'pending' END,"
                    + " FALSE, 1700000000000 FROM conversations WHERE id LIKE 'bulk-%'");
            h.execute("INSERT INTO scores (conversation_id, empathy, clarity, appropriateness, brand_voice, overall, method)"
                    + " SELECT id, 3, 4, 4, 3, 1 + (CAST(substr(id, 6) AS INTEGER) % 9) * 0.5, 'heuristic' FROM conversations"
                    + " WHERE id LIKE 'bulk-%'");
            h.execute("INSERT INTO quality_flags (conversation_id, code, severity, reason, turn_index) SELECT id, 'truncated',"
                    + " 'error', 'ends mid-sentence', 3 FROM conversations WHERE id LIKE 'bulk-%'"
                    + " AND CAST(substr(id, 6) AS INTEGER) % ? = 0", FLAG_EVERY);
        });
    }

    /** A CASE over the row number i that spreads the rows evenly over the keys. */
    private static String pick(List<String> keys) {
        return "CASE i % " + keys.size() + " " + IntStream.range(0, keys.size())
                .mapToObj(k -> "WHEN " + k + " THEN '" + keys.get(k) + "'").collect(Collectors.joining(" ")) + " END";
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (project != null) project.close();
    }

    @Test
    void everyListingPageRunsAFewIndexedStatementsAtFiftyThousandConversations() throws Exception {
        String persona = project.pack().personas().get(1).key();
        String topic = project.pack().topics().get(2).key();
        get("/");  // warm-up: JIT, connection pool
        List<String> report = new ArrayList<>();
        for (String path : new String[]{"/", "/conversations", "/conversations?page=900",
                "/conversations?persona=" + persona + "&status=pending&min=3",
                "/conversations?topic=" + topic + "&phase=expansion&flag=truncated&max=4", "/conversations?q=bulk-049999",
                "/review?pos=49990", "/review/step?pos=100&dir=1&id=x", "/dashboard/cell?persona=" + persona + "&arc="
                + project.pack().arcs().get(0).key(), "/generate", "/export"}) {
            statements.clear();
            long start = System.nanoTime();
            HttpResponse<String> r = get(path);
            long millis = (System.nanoTime() - start) / 1_000_000;
            List<StatementContext> ran = List.copyOf(statements);
            assertThat(r.statusCode()).as(path).isBetween(200, 303);
            // A fixed handful, whatever the page size: nothing is queried once per listed row.
            assertThat(ran).as(path + " statements").extracting(StatementContext::getRenderedSql).hasSizeLessThanOrEqualTo(MAX_STATEMENTS);
            for (StatementContext s : ran) {
                String plan = plan(s.getParsedSql().getSql());
                assertThat(plan).as(path + ": " + s.getRenderedSql()).doesNotContainPattern("SCAN (t|turns)\\b");
            }
            report.add(String.format(Locale.ROOT, "%-70s %5d ms, %2d statements", path, millis, ran.size()));
        }
        System.out.println("ScaleTest, " + CONVERSATIONS + " conversations:\n" + String.join("\n", report));
    }

    @Test
    void pagingWalksTheCreationIndexWithoutSortingEverything() throws Exception {
        statements.clear();
        String body = get("/conversations?page=900").body();
        List<String> ids = Pattern.compile("<tr data-id=\"([^\"]+)\"").matcher(body).results().map(m -> m.group(1)).toList();
        // Oldest first: the bulk rows are dated 2023, the fixture's own conversation is dated now and comes last.
        assertThat(ids).hasSize(ConversationPages.PAGE_SIZE)
                .first().isEqualTo(String.format("bulk-%06d", 900 * ConversationPages.PAGE_SIZE + 1));
        String listQuery = statements.stream().map(s -> s.getParsedSql().getSql()).filter(sql -> sql.contains("LIMIT"))
                .findFirst().orElseThrow();
        assertThat(plan(listQuery)).contains("conversations_created").doesNotContain("TEMP B-TREE FOR ORDER BY");

        assertThat(get("/conversations").body()).contains("<strong>" + (CONVERSATIONS + 1) + "</strong> conversations");
        assertThat(get("/conversations?q=bulk-049999").body()).contains("<strong>1</strong> conversations match");
        assertThat(get("/conversations?flag=truncated").body())
                .contains("<strong>" + CONVERSATIONS / FLAG_EVERY + "</strong> conversations match");
        String last = get("/conversations?page=" + (CONVERSATIONS / ConversationPages.PAGE_SIZE)).body();
        assertThat(Pattern.compile("<tr data-id=").matcher(last).results().count()).isEqualTo(1);
        assertThat(get("/review?pos=" + (CONVERSATIONS - 1)).body()).contains("data-id=\"bulk-050000\"");
    }

    /** SQLite's EXPLAIN QUERY PLAN of one statement, its parameters left unbound (the plan does not depend on them). */
    private static String plan(String sql) {
        return project.db().jdbi().withHandle(h -> {
            try (var statement = h.getConnection().prepareStatement("EXPLAIN QUERY PLAN " + sql);
                 ResultSet rs = statement.executeQuery()) {
                StringBuilder plan = new StringBuilder();
                while (rs.next()) plan.append(rs.getString("detail")).append('\n');
                return plan.toString();
            } catch (java.sql.SQLException e) {
                throw new AssertionError("cannot explain " + sql, e);
            }
        });
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

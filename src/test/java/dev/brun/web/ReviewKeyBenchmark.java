package dev.brun.web;

import dev.brun.project.Project;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On demand, not part of ./test: time from a key press on the review page to the next conversation being
 * readable (swapped in and painted) in headless Chromium, at 300 and at 50,000 conversations of real length
 * (10 turns of about 500 characters). Run with
 * {@code mvn -o -q test -Dtest=ReviewKeyBenchmark -Dbrun.benchmark=true}; the numbers go to BENCHMARKS.md.
 * Keys are paced like a fast reader (a pause after each), so the fetch ahead has happened, as it would.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "brun.benchmark", matches = "true")
class ReviewKeyBenchmark {
    static final int PRESSES = 60;
    static final int WARM_UP = 5;

    @TempDir Path dir;
    @TempDir Path profile;
    @TempDir Path downloads;

    @Test
    void keyToNextConversationAt300() throws Exception {
        measure(300);
    }

    @Test
    void keyToNextConversationAt50000() throws Exception {
        measure(50_000);
    }

    private void measure(int conversations) throws Exception {
        try (Project project = WebFixture.create(dir, 0)) {
            seed(project, conversations);
            WebServer server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null), WebFixture.noGeneration());
            ChromeDriver driver = Chromium.start(profile, downloads);
            try {
                String base = "http://127.0.0.1:" + server.port();
                List<String> lines = new ArrayList<>();
                for (String key : List.of("a", "j")) {
                    String path = key.equals("a") ? "/review?status=pending&pos=" + conversations / 2 : "/review?pos=" + conversations / 3;
                    driver.get(base + path);
                    new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("review")));
                    List<Double> millis = new ArrayList<>();
                    Set<String> seen = new HashSet<>();
                    for (int i = 0; i < WARM_UP + PRESSES; i++) {
                        Thread.sleep(400);  // the reader reads; the next page is fetched ahead meanwhile
                        List<?> r = (List<?>) driver.executeAsyncScript(PRESS, key);
                        String id = (String) r.get(1);
                        assertThat(seen.add(id)).as("key " + key + " showed " + id + " twice").isTrue();
                        if (i >= WARM_UP) millis.add(((Number) r.get(0)).doubleValue());
                    }
                    lines.add(String.format(Locale.ROOT, "%,d conversations, key %s: p50 %.0f ms, p95 %.0f ms, max %.0f ms (%d presses)",
                            conversations, key, percentile(millis, 50), percentile(millis, 95), percentile(millis, 100), millis.size()));
                }
                String text = String.join("\n", lines);
                System.out.println("ReviewKeyBenchmark\n" + text);
                Path out = Path.of("target", "benchmarks");
                Files.createDirectories(out);
                Files.writeString(out.resolve("review-keys-" + conversations + ".txt"), text + "\n");
            } finally {
                driver.quit();
                server.close();
            }
        }
    }

    /** Presses the key and answers [milliseconds until the next conversation is painted, its id]. */
    static final String PRESS = """
            const key = arguments[0], done = arguments[arguments.length - 1];
            const before = document.getElementById('review');
            const t0 = performance.now();
            const observer = new MutationObserver(() => {
              const now = document.getElementById('review');
              if (now && now !== before) {
                observer.disconnect();
                // after the next frame is painted, not merely inserted
                requestAnimationFrame(() => setTimeout(() => done([performance.now() - t0, now.dataset.id]), 0));
              }
            });
            observer.observe(document.querySelector('main'), { childList: true, subtree: true });
            document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));""";

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** Bulk rows in SQL with ten turns of real length each, spread evenly over the pack's combinations. */
    static void seed(Project project, int n) {
        var pack = project.pack();
        List<String> personas = pack.personas().stream().map(p -> p.key()).toList();
        List<String> arcs = pack.arcs().stream().map(a -> a.key()).toList();
        List<String> topics = pack.topics().stream().map(t -> t.key()).toList();
        String reply = "That makes sense, and it is a very common place to start. ".repeat(8);
        String user = "I keep thinking about this and I am not sure what the right next step is for us. ".repeat(6);
        project.db().jdbi().useTransaction(h -> {
            h.execute("""
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO conversations (id, unit_key, persona_key, arc_key, topic_key, variation_index, phase,
                        session_context, expected_outcome, source, provider, model, content_hash, created_at)
                    SELECT printf('bulk-%06d', i), NULL, """ + pick(personas) + ", " + pick(arcs) + ", " + pick(topics) + """
                           , i, 'seed', 'A first call about money worries.', 'One concrete step.', 'imported', NULL, NULL,
                           printf('hash-%d', i), 1700000000000 + i FROM n""", n);
            for (int idx = 0; idx < 10; idx++)
                h.execute("INSERT INTO turns (conversation_id, idx, role, content, emotion_primary, emotion_intensity,"
                        + " emotion_confidence, emotion_valence, phase) SELECT id, ?, ?, ? || ' (' || id || ')', 'anxious', 0.6, 0.7,"
                        + " 'negative', ? FROM conversations WHERE id LIKE 'bulk-%'", idx, idx % 2 == 0 ? "user" : "assistant",
                        idx % 2 == 0 ? user : reply, idx % 2 == 0 ? null : pack.arcs().getFirst().stageKeys().getFirst());
            h.execute("INSERT INTO scores (conversation_id, empathy, clarity, appropriateness, brand_voice, overall, method, reasons)"
                    + " SELECT id, 4, 4, 3.5, 5, 1 + (CAST(substr(id, 6) AS INTEGER) % 9) * 0.5, 'heuristic',"
                    + " '{\"empathy\":[\"names the feeling\"],\"appropriateness\":[\"one reply runs long\"]}'"
                    + " FROM conversations WHERE id LIKE 'bulk-%'");
            h.execute("INSERT INTO quality_flags (conversation_id, code, severity, reason, turn_index) SELECT id, 'truncated',"
                    + " 'error', 'ends mid-sentence', 5 FROM conversations WHERE id LIKE 'bulk-%'"
                    + " AND CAST(substr(id, 6) AS INTEGER) % 50 = 0");
        });
    }

    private static String pick(List<String> keys) {
        return "CASE i % " + keys.size() + " " + IntStream.range(0, keys.size())
                .mapToObj(k -> "WHEN " + k + " THEN '" + keys.get(k) + "'").collect(Collectors.joining(" ")) + " END";
    }
}

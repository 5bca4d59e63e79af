package dev.brun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API key reaches the provider and nothing else: after generating, checking, reporting and exporting with
 * a real key file, no file of the project (database, WAL, exports, report) and no command output contains it.
 */
class ApiKeyNeverStoredTest {
    private static final String KEY = "sk-ant-test-key";

    @TempDir Path dir;

    @Test
    void theKeyIsInNoFileAndNoOutputOfTheProject() throws IOException {
        try (AnthropicTestProject p = new AnthropicTestProject(dir, "persona=pragmatic_optimist,arc=grief_to_healing")) {
            Path project = Path.of(p.dir());
            List<CliRun> runs = List.of(
                    p.brun("generate", "--provider", "anthropic", "--limit", "4"),
                    p.brun("generate", "--provider", "anthropic", "--batch", "--limit", "2", "--poll-interval", "0.005"),
                    p.brun("check"),
                    p.brun("status", "--json"),
                    p.brun("report", "--html", project.resolve("report.html").toString()),
                    p.brun("export", "--format", "all", "--out", project.resolve("exports/all").toString()));
            for (CliRun run : runs) {
                assertThat(run.exitCode()).as(run.err()).isZero();
                assertThat(run.out() + run.err()).doesNotContain(KEY);
            }
            assertThat(p.sim().server().requests()).as("the key did reach the provider")
                    .anySatisfy(r -> assertThat(r.headers().toString()).contains(KEY));

            try (Stream<Path> files = Files.walk(project)) {
                List<Path> all = files.filter(Files::isRegularFile).toList();
                assertThat(all).extracting(f -> f.getFileName().toString()).contains("brun.db", "report.html", "manifest.json");
                for (Path f : all)
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(KEY);
            }
        }
    }
}

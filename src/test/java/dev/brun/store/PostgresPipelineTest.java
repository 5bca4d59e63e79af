package dev.brun.store;

import dev.brun.cli.CliRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline as a user runs it with --db on PostgreSQL (the scale story of DESIGN.md): plan, generate on the
 * simulated provider, check, status and export all read and write the server's database, not the project's
 * SQLite file.
 */
@Tag("postgres")
class PostgresPipelineTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path dir;

    @Test
    void planGenerateCheckStatusAndExportRunOnPostgres() throws Exception {
        String url = EmbeddedPostgresServer.freshDatabaseUrl();
        String project = dir.resolve("p").toString();
        assertThat(CliRun.of("init", project).exitCode()).isZero();
        long sqliteBytes = Files.size(Path.of(project, "brun.db"));

        ok("plan", "--project", project, "--db", url, "--only", "persona=anxious_planner,arc=anxiety_to_confidence");
        JsonNode generated = JSON.readTree(ok("generate", "--project", project, "--db", url, "--limit", "12", "--json").out());
        assertThat(generated.path("done").asInt()).isEqualTo(12);
        ok("check", "--project", project, "--db", url);

        JsonNode status = JSON.readTree(ok("status", "--project", project, "--db", url, "--json").out());
        assertThat(status.path("units").path("seed").path("done").asLong()).isEqualTo(12);
        assertThat(status.path("units").path("seed").path("pending").asLong()).isEqualTo(8);

        Path out = dir.resolve("export");
        ok("export", "--project", project, "--db", url, "--format", "openai", "--out", out.toString(), "--allow-simulated");
        long lines = 0;
        for (String f : new String[] {"openai-train.jsonl", "openai-validation.jsonl"})
            if (Files.exists(out.resolve(f))) lines += Files.readAllLines(out.resolve(f)).stream().filter(l -> !l.isBlank()).count();
        assertThat(lines).isEqualTo(12);

        JsonNode local = JSON.readTree(ok("status", "--project", project, "--json").out());
        assertThat(local.path("units").size()).as("the project's SQLite file was not used").isZero();
        assertThat(Files.size(Path.of(project, "brun.db"))).isEqualTo(sqliteBytes);
    }

    private static CliRun ok(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as("brun %s%n%s", String.join(" ", args), run.err()).isZero();
        return run;
    }
}

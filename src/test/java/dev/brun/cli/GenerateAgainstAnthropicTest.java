package dev.brun.cli;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.ScriptedResponse;
import dev.brun.project.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code brun generate --provider anthropic} in child JVMs, because the provider's URL and key come from the
 * environment (ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY): here they point at a fake server on 127.0.0.1.
 */
class GenerateAgainstAnthropicTest {
    private static final String KEY = "sk-ant-api03-secret-do-not-print-0123456789";

    @TempDir Path tmp;

    @Test
    void rejectedKeyStopsWithOneClearLineExitOneAndNoRetryStormWhileDryRunCallsNothing() throws Exception {
        Path rejected = planned("rejected");
        Path dry = planned("dry");
        try (FakeProviderServer authFails = new FakeProviderServer(); FakeProviderServer untouched = new FakeProviderServer()) {
            authFails.start();
            untouched.start();
            authFails.script(FakeProviderServer.MESSAGES, ScriptedResponse.anthropicError(401, "authentication_error",
                    "invalid x-api-key " + KEY));
            // Both children at once: JVM start-up is most of their time.
            Process generate = start(authFails, tmp.resolve("generate.log"), "generate", "--project", rejected.toString(),
                    "--provider", "anthropic", "--concurrency", "8");
            Process dryRun = start(untouched, tmp.resolve("dry.log"), "generate", "--project", dry.toString(),
                    "--provider", "anthropic", "--dry-run");
            assertThat(generate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(dryRun.waitFor(60, TimeUnit.SECONDS)).isTrue();

            String log = Files.readString(tmp.resolve("generate.log"));
            assertThat(generate.exitValue()).as(log).isEqualTo(1);
            assertThat(authFails.requests(FakeProviderServer.MESSAGES)).as("no retry storm").hasSize(1);
            assertThat(authFails.requests(FakeProviderServer.MESSAGES).getFirst().header("x-api-key")).isEqualTo(KEY);
            assertThat(log).doesNotContain(KEY).doesNotContain("secret-do-not-print");
            List<String> errors = log.lines().filter(l -> l.startsWith("error:")).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.getFirst()).contains("401").contains("ANTHROPIC_API_KEY");
            assertThat(log.lines().filter(l -> l.contains("401"))).as("said once, not twice: %n%s", log).hasSize(1);
            assertThat(log).doesNotContain("Exception").doesNotContain("\tat ");
            try (Project p = Project.open(rejected)) {
                assertThat(p.db().units().pending(null)).as("the units wait for a good key").hasSize(20);
                assertThat(p.db().ledger().totals().calls()).isZero();
            }

            String dryLog = Files.readString(tmp.resolve("dry.log"));
            assertThat(dryRun.exitValue()).as(dryLog).isZero();
            assertThat(dryLog).contains("Dry run: would generate 20 unit(s) with provider anthropic");
            assertThat(untouched.requests()).as("a dry run calls nothing").isEmpty();
        }
    }

    @Test
    void aNonJsonReplyEchoingTheKeyLeavesNoTraceOfItInTheDatabaseTheLogOrTheOutput() throws Exception {
        Path project = planned("echo");
        try (FakeProviderServer echo = new FakeProviderServer()) {
            echo.start();
            // A proxy that reflects the request: status 200, not JSON, the key in several shapes.
            String body = "<html><pre>POST /v1/messages\nx-api-key: " + KEY + "\nAuthorization: Bearer " + KEY
                    + "\nkey=" + KEY + "</pre></html>";
            for (int i = 0; i < 200; i++)
                echo.script(FakeProviderServer.MESSAGES, new ScriptedResponse(200, Map.of("content-type", "text/html"), body, null, null, null));
            Process generate = start(echo, tmp.resolve("echo.log"), "generate", "--project", project.toString(),
                    "--provider", "anthropic", "--concurrency", "2");
            assertThat(generate.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(tmp.resolve("echo.log"));
            assertThat(echo.requests(FakeProviderServer.MESSAGES)).as(log).isNotEmpty();
            assertThat(log).doesNotContain(KEY).doesNotContain("secret-do-not-print");
            Process status = start(echo, tmp.resolve("status.log"), "status", "--project", project.toString(), "--json");
            assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(tmp.resolve("status.log"))).doesNotContain("secret-do-not-print");
        }
        try (var files = Files.walk(project)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(f.toString()).doesNotContain("secret-do-not-print");
            }
        }
        try (Project p = Project.open(project)) {
            assertThat(p.db().units().pending(null)).as("some units failed on the invalid reply").hasSizeLessThan(20);
        }
    }

    private Path planned(String name) {
        Path dir = tmp.resolve(name);
        assertThat(CliRun.of("init", dir.toString()).exitCode()).isZero();
        assertThat(CliRun.of("plan", "--project", dir.toString(), "--only", "persona=anxious_planner,arc=anxiety_to_confidence").exitCode()).isZero();
        return dir;
    }

    private static Process start(FakeProviderServer server, Path log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANTHROPIC_") || k.startsWith("OPENAI_") || k.startsWith("BRUN_"));
        env.put("ANTHROPIC_BASE_URL", server.baseUrl().toString());
        env.put("ANTHROPIC_API_KEY", KEY);
        return pb.start();
    }
}

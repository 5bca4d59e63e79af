package dev.brun.cli;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.RecordedRequest;
import dev.brun.llm.sim.ScriptedResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider that stops answering the first call: with the timeouts of brun.yaml, the cache-priming call holds
 * the others only until its deadline, and the hung call is abandoned and retried instead of holding the run.
 */
class HungProviderTest {
    @TempDir Path tmp;

    @Test
    void aHungFirstCallHoldsTheRunOnlyUntilTheDeadlineAndIsRetried() throws Exception {
        try (AnthropicTestProject p = new AnthropicTestProject(tmp, "persona=overwhelmed_avoider,arc=confusion_to_clarity")) {
            Path yaml = Path.of(p.dir(), "brun.yaml");
            String config = Files.readString(yaml);
            assertThat(config).contains("first_byte_seconds: 300").contains("cache_priming_seconds: 30");
            Files.writeString(yaml, config.replace("first_byte_seconds: 300", "first_byte_seconds: 3")
                    .replace("cache_priming_seconds: 30", "cache_priming_seconds: 0.3"));
            // the first reply would take a minute to start: far longer than any limit here
            p.sim().server().script(FakeProviderServer.MESSAGES,
                    ScriptedResponse.anthropicError(500, "api_error", "never seen").withDelay(Duration.ofSeconds(60)));

            CliRun run = p.brun("generate", "--provider", "anthropic", "--concurrency", "4");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("Generated 20 conversation(s), 0 failed");
            List<RecordedRequest> sent = p.sim().server().requests(FakeProviderServer.MESSAGES);
            String hung = sent.getFirst().body();
            int retry = -1;
            for (int i = 1; i < sent.size(); i++) if (sent.get(i).body().equals(hung)) { retry = i; break; }
            assertThat(retry).as("the hung call was abandoned and sent again").isPositive();
            assertThat(sent.subList(1, retry)).as("the others started while the priming call still hung")
                    .isNotEmpty().allSatisfy(r -> assertThat(r.body()).isNotEqualTo(hung));
            assertThat(sent).as("one extra request: the abandoned one").hasSize(distinctBodies(sent) + 1);
        }
    }

    @Test
    void sigtermEndsTheProcessWithinItsBoundWhileEveryCallHangs() throws Exception {
        try (AnthropicTestProject p = new AnthropicTestProject(tmp, "persona=overwhelmed_avoider,arc=confusion_to_clarity")) {
            p.sim().server().respondWith(FakeProviderServer.MESSAGES,
                    r -> ScriptedResponse.anthropicError(500, "api_error", "never seen").withDelay(Duration.ofMinutes(5)));
            ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "generate", "--project", p.dir(),
                    "--provider", "anthropic", "--concurrency", "4").redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
            pb.environment().put("ANTHROPIC_BASE_URL", p.sim().baseUrl().toString());
            Process child = pb.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (p.sim().server().requests(FakeProviderServer.MESSAGES).isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(p.sim().server().requests(FakeProviderServer.MESSAGES)).as("a call is hanging").isNotEmpty();
                child.destroy(); // SIGTERM
                assertThat(child.waitFor(GenerateCommand.STOP_WAIT.toSeconds() + 10, java.util.concurrent.TimeUnit.SECONDS))
                        .as("SIGTERM ends the process within its bound; log: %s", Files.readString(tmp.resolve("child.log"))).isTrue();
            } finally {
                child.destroyForcibly();
            }
            assertThat(Files.readString(tmp.resolve("child.log"))).contains("at most " + GenerateCommand.STOP_WAIT.toSeconds() + " s");
        }
    }

    private static int distinctBodies(List<RecordedRequest> sent) {
        return (int) sent.stream().map(RecordedRequest::body).distinct().count();
    }
}

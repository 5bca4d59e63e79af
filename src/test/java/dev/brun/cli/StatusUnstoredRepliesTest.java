package dev.brun.cli;

import dev.brun.llm.GenerationResult;
import dev.brun.llm.StopReason;
import dev.brun.llm.Usage;
import dev.brun.run.ReplySpool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** status says when paid replies wait in the spool for the next run to store them. */
class StatusUnstoredRepliesTest {
    @TempDir Path tmp;

    @Test
    void statusNamesTheRepliesKeptWhileTheDatabaseWasAway() {
        String project = tmp.resolve("p").toString();
        assertThat(CliRun.of("init", project).exitCode()).isZero();
        assertThat(CliRun.of("status", "--project", project).out()).doesNotContain("kept in");
        ReplySpool.in(Path.of(project)).append(new ReplySpool.Spooled("u1", "claude-sonnet-4-5", 0.7, 0.05,
                new GenerationResult(null, "{}", StopReason.END_TURN, new Usage(10, 10, 0, 0), "req_1", 5, 1, null)));

        CliRun text = CliRun.of("status", "--project", project);
        CliRun json = CliRun.of("status", "--project", project, "--json");

        assertThat(text.out()).contains("1 paid reply kept in ").contains(ReplySpool.FILE).contains("'brun generate' stores them first");
        assertThat(json.out()).contains("\"unstored_replies\" : 1");
    }
}

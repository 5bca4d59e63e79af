package dev.brun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsAndNestedInitTest {
    @Test
    void misspelledCommandNamesTheClosestCommand() {
        CliRun run = CliRun.of("genrate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Did you mean:").contains("generate");
    }

    @Test
    void misspelledOptionNamesTheClosestOption(@TempDir Path tmp) {
        CliRun run = CliRun.of("init", tmp.resolve("p").toString(), "--provder", "simulated");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Did you mean:").contains("--provider");
    }

    @Test
    void initInsideAProjectRefusesWithoutForce(@TempDir Path tmp) {
        Path outer = tmp.resolve("outer");
        assertThat(CliRun.of("init", outer.toString()).exitCode()).isZero();

        Path inner = outer.resolve("sub").resolve("inner");
        CliRun refused = CliRun.of("init", inner.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("inside the project").contains("--force");
        assertThat(Files.exists(inner)).isFalse();

        CliRun forced = CliRun.of("init", inner.toString(), "--force");
        assertThat(forced.exitCode()).isZero();
        assertThat(forced.err()).contains("warning:").contains("nested");
        assertThat(Files.isRegularFile(inner.resolve("brun.yaml"))).isTrue();
    }

    @Test
    void generateWithNothingPendingSaysWhatWouldAddWork(@TempDir Path tmp) {
        Path dir = tmp.resolve("p");
        assertThat(CliRun.of("init", dir.toString()).exitCode()).isZero();
        CliRun run = CliRun.of("generate", "--project", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Nothing pending").contains("brun plan").contains("brun expand")
                .contains("brun fill").contains("--retry-failed");
    }
}

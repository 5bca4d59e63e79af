package dev.brun.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void versionPrintsBrunAndExitsZero() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("brun ");
    }

    @Test
    void unknownCommandIsBadUsageWithExitTwo() {
        CliRun run = CliRun.of("no-such-command");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument").contains("--help");
    }
}

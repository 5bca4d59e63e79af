package dev.brun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brun.run.RunProgress;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void aRunHeldBackByTheRateLimitSaysSo() {
        RunProgress paced = new RunProgress(1000, 240, 2, 12.5, 3, 1, 0.61, 60_000, 0.734);
        assertThat(ProgressLine.render(paced))
                .startsWith("[######..................] 242/1000  4.0/s  ETA 3m08s  $12.5000  failed 2  retries 3  429s 1  cache 61%")
                .endsWith("  waiting for rate limit 73%");
    }

    @Test
    void aRunThatBarelyWaitsDoesNotMentionIt() {
        RunProgress free = new RunProgress(1000, 240, 2, 12.5, 3, 1, 0.61, 60_000, 0.01);
        assertThat(ProgressLine.render(free)).doesNotContain("waiting");
    }

    @Test
    void callsInFlightAndTheOldestOnesAgeAreShown() {
        RunProgress hung = new RunProgress(20, 3, 0, 0.5, 0, 0, 0.5, 90_000, 0, 4, 75_400);
        assertThat(ProgressLine.render(hung)).contains("  in flight 4 (oldest 75s)");
        assertThat(ProgressLine.render(new RunProgress(20, 3, 0, 0.5, 0, 0, 0.5, 90_000, 0))).doesNotContain("in flight");
    }
}

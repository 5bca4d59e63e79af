package dev.brun.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTreeTest {
    @Test
    void aNamedCommandGetsOnlyItselfYetHelpAndSuggestionsSeeEveryCommand() {
        assertThat(Main.commandLine(new Invocation("brun", null), new String[]{"status"}).getSubcommands())
                .containsKey("status").doesNotContainKey("generate");
        assertThat(Main.commandLine(new Invocation("brun", null), new String[]{"demo"}).getSubcommands())
                .containsKeys("init", "plan", "generate", "export");
        CliRun help = CliRun.of("--help");
        assertThat(help.out()).contains("plan").contains("generate").contains("install").contains("export");
        CliRun typo = CliRun.of("plan", "--targt", "10");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("--target");
        assertThat(CliRun.of("help", "plan").out()).contains("--target");
    }
}

package dev.brun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** import, check, report and export explain themselves, and keep to the exit codes 0 / 1 / 2. */
class DataCommandsHelpTest {
    @TempDir Path tmp;

    private static final Map<String, List<String>> OPTIONS = Map.of(
            "import", List.of("FILE", "--as-seeds", "--persona", "--arc", "--topic", "--max-size", "--json", "--project"),
            "check", List.of("--rescore", "--judge", "--near-duplicate-threshold", "--json", "--project"),
            "report", List.of("--html", "--json", "--project"),
            "export", List.of("--format", "--out", "--only", "--min-score", "--split", "--seed", "--max-tokens", "--allow-simulated",
                    "--json", "--project"));

    @Test
    void everyDataCommandHasHelpListingEachOptionAndItsExitCodes() {
        OPTIONS.forEach((command, options) -> {
            CliRun help = CliRun.of(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: brun " + command).contains("Exit code");
            for (String option : options) assertThat(help.out()).as(command).contains(option);
            assertThat(CliRun.of("--help").out()).contains(command);
        });
    }

    @Test
    void anUnknownOptionIsBadUsage() {
        for (String command : OPTIONS.keySet()) {
            CliRun run = command.equals("import") ? CliRun.of(command, "--no-such-option", "x.json", "--project", tmp.toString())
                    : CliRun.of(command, "--no-such-option", "--project", tmp.toString());
            assertThat(run.exitCode()).as(command).isEqualTo(2);
            assertThat(run.err()).as(command).contains("--no-such-option");
        }
    }

    @Test
    void outsideAProjectEveryDataCommandSaysSoWithExitTwo() {
        Path empty = tmp.resolve("empty");
        for (String command : List.of("check", "report", "export")) {
            CliRun run = CliRun.of(command, "--project", empty.toString());
            assertThat(run.exitCode()).as(command).isEqualTo(2);
            assertThat(run.err()).as(command).contains("brun.yaml");
        }
    }

    @Test
    void aReportThatCannotBeWrittenExitsOneAndTouchesNothing() throws IOException {
        Path project = TestProject.create(tmp.resolve("p"));
        Path notAFolder = Files.writeString(tmp.resolve("taken"), "a file, not a folder");

        CliRun run = TestProject.run(project, "report", "--html", notAFolder.resolve("report.html").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).contains(notAFolder.toString());
        assertThat(Files.readString(notAFolder)).isEqualTo("a file, not a folder");
    }

    @Test
    void anEmptyProjectReportsZerosRatherThanFailing() {
        Path project = TestProject.create(tmp.resolve("p"));
        CliRun report = TestProject.run(project, "report", "--json");
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(TestProject.json(report.out()).get("usable").asInt()).isZero();
        assertThat(TestProject.json(report.out()).get("cost_per_usable_usd").isNull()).isTrue();
        CliRun check = TestProject.run(project, "check");
        assertThat(check.exitCode()).isZero();
        assertThat(check.out()).contains("checked 0 of 0 conversations");
        CliRun export = TestProject.run(project, "export");
        assertThat(export.exitCode()).isEqualTo(2);
        assertThat(export.err()).contains("nothing to export").contains("the project has no conversations");
    }
}

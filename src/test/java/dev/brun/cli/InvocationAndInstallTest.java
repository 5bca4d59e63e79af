package dev.brun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InvocationAndInstallTest {
    private static CliRun run(Invocation invocation, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), invocation);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void hintsNameTheCommandAsTheUserRanIt(@TempDir Path tmp) {
        Invocation dotSlash = new Invocation("./brun", null);
        Path dir = tmp.resolve("p");
        CliRun init = run(dotSlash, "init", dir.toString());
        assertThat(init.out()).contains("Next: ./brun plan --target");
        CliRun plan = run(dotSlash, "plan", "--project", dir.toString());
        assertThat(plan.out()).contains("Next: ./brun estimate").doesNotContain("Next: brun ");
        CliRun target = run(dotSlash, "plan", "--target", "1500", "--dry-run", "--project", dir.toString());
        assertThat(target.out()).contains("1. ./brun generate --sample 15").contains("./brun expand --per-combination auto")
                .doesNotContain(" brun generate");
        CliRun nothing = run(new Invocation("brun", null), "generate", "--project", tmp.resolve("p").toString(), "--phase", "edge");
        assertThat(nothing.out()).contains("  brun plan");
    }

    @Test
    void installWritesALauncherAndSaysWhetherItsFolderIsOnThePath(@TempDir Path tmp) throws Exception {
        Path checkout = Files.createDirectories(tmp.resolve("checkout"));
        Path script = Files.writeString(checkout.resolve("brun"), "#!/usr/bin/env bash\n");
        Path bin = tmp.resolve("bin");
        CliRun run = run(new Invocation("./brun", script), "install", bin.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path launcher = bin.resolve("brun");
        assertThat(Files.isExecutable(launcher)).isTrue();
        assertThat(Files.readString(launcher)).contains("BRUN_INVOCATION=brun exec '" + script + "' \"$@\"");
        assertThat(run.out()).contains("is NOT on your PATH").contains("export PATH=\"" + bin);

        CliRun again = run(new Invocation("./brun", script), "install", bin.toString());
        assertThat(again.out()).startsWith("Replaced");

        Path foreign = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(foreign.resolve("brun"), "someone else's brun\n");
        CliRun refused = run(new Invocation("./brun", script), "install", foreign.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("not written by 'brun install'");
        assertThat(Files.readString(foreign.resolve("brun"))).isEqualTo("someone else's brun\n");

        CliRun noLauncher = run(new Invocation("brun", null), "install", bin.toString());
        assertThat(noLauncher.exitCode()).isEqualTo(2);
        assertThat(noLauncher.err()).contains("./brun install");
    }

    @Test
    void onPathIsReadFromThePathVariable(@TempDir Path tmp) {
        assertThat(dev.brun.project.Launcher.install(tmp.resolve("b"), tmp.resolve("brun"), "/usr/bin:" + tmp.resolve("b")).onPath()).isTrue();
    }
}

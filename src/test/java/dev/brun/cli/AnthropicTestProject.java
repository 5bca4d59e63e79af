package dev.brun.cli;

import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.pack.PackLoader;
import dev.brun.run.ProviderConnection;
import dev.brun.run.SimulatedUnits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project whose provider "anthropic" is the simulated server (started here, reached through the base-URL
 * property, with a key file), so CLI tests exercise the real Anthropic client and read back what it sent.
 * The simulated server outlives single commands, as real batches outlive a process.
 */
final class AnthropicTestProject implements AutoCloseable {
    private final SimulatedProvider sim;
    private final String project;

    /** Inits a project under dir with the default pack and plans the given --only slice. */
    AnthropicTestProject(Path dir, String slice) throws IOException {
        sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT.withLatency(Duration.ZERO, Duration.ZERO),
                SimulatedUnits.of(PackLoader.loadBuiltin("financial-planning")));
        System.setProperty(ProviderConnection.ANTHROPIC_BASE_URL_PROPERTY, sim.start().toString());
        project = dir.resolve("p").toString();
        assertThat(CliRun.of("init", project, "--pack", "financial-planning").exitCode()).isZero();
        Path key = dir.resolve("anthropic.key");
        Files.writeString(key, "ANTHROPIC_API_KEY=sk-ant-test-key\n");
        Files.writeString(Path.of(project, "brun.yaml"), "\napi_key_file: " + key + "\n", StandardOpenOption.APPEND);
        assertThat(CliRun.of("plan", "--project", project, "--only", slice).exitCode()).isZero();
    }

    SimulatedProvider sim() { return sim; }

    String dir() { return project; }

    /** Runs a brun command on this project, whatever its exit code. */
    CliRun brun(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--project", project));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Override
    public void close() {
        System.clearProperty(ProviderConnection.ANTHROPIC_BASE_URL_PROPERTY);
        sim.close();
    }
}

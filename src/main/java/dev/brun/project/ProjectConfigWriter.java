package dev.brun.project;

import dev.brun.WorkFailedException;
import dev.brun.pack.Phase;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** Writes brun.yaml as a commented file a person can read and edit; {@link ProjectConfigLoader} reads it back. */
public final class ProjectConfigWriter {
    private ProjectConfigWriter() {}

    /** Writes projectDir/brun.yaml (replacing it atomically when it exists). */
    public static Path write(Path projectDir, ProjectConfig config) {
        Path file = ProjectLayout.of(projectDir).config();
        Path tmp = file.resolveSibling(ProjectLayout.CONFIG_FILE + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(tmp, render(config), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new WorkFailedException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static String render(ProjectConfig c) {
        StringBuilder y = new StringBuilder();
        y.append("""
                # brun project settings. The domain pack itself (consultant, personas, arcs, topics, rules)
                # is in pack/; see docs/pack-format.md for every key of both.

                # Who generates the conversations: simulated (no key, no cost; for trying brun out),
                # anthropic (Claude Messages API) or openai (any OpenAI-compatible server).
                """);
        y.append("provider: ").append(c.provider().wire()).append("\n\n");

        y.append("""
                # Model and temperature per phase. A phase or value left out uses the pack's
                # phase_defaults in pack/rules.yaml.
                phases:
                """);
        if (c.phases().isEmpty()) y.append("  {}\n");
        for (Map.Entry<Phase, PhaseSettings> e : c.phases().entrySet()) {
            y.append("  ").append(e.getKey().wire()).append(":\n");
            if (e.getValue().model() != null) y.append("    model: ").append(e.getValue().model()).append('\n');
            if (e.getValue().temperature() != null) y.append("    temperature: ").append(e.getValue().temperature()).append('\n');
            if (e.getValue().model() == null && e.getValue().temperature() == null) y.append("    {}\n");
        }
        y.append('\n');

        y.append("# Stop before spending more than this many US dollars in this project (null: no cap).\n");
        y.append("budget_usd: ").append(c.budgetUsd() == null ? "null" : c.budgetUsd().toPlainString()).append("\n\n");

        y.append("# Parallel calls: auto paces from the provider's rate-limit headers; a number fixes it.\n");
        y.append("concurrency: ").append(c.concurrency().wire()).append("\n\n");

        y.append("""
                # Prompt-cache lifetime: 5m (writes cost 1.25x input), 1h (2x input, survives longer gaps)
                # or auto: 1h for generate --batch, whose requests run in no set order over minutes to
                # hours, and for runs too slow to keep a 5-minute entry warm; otherwise 5m.
                """);
        y.append("cache_ttl: ").append(c.cacheTtl().wire()).append("\n\n");

        y.append("# Tries per conversation before it is marked failed (rate limits and server errors are retried).\n");
        y.append("max_attempts: ").append(c.maxAttempts()).append("\n\n");

        y.append("""
                # Limits of each provider call, in seconds; a call past one is abandoned and retried.
                # first_byte: a reply that is not streamed starts only once the model has written it all.
                # cache_priming: how long the first call (sent alone to write the prompt cache) holds the others.
                """);
        var t = c.timeouts();
        y.append("timeouts:\n");
        y.append("  connect_seconds: ").append(seconds(t.connect())).append('\n');
        y.append("  first_byte_seconds: ").append(seconds(t.firstByte())).append('\n');
        y.append("  idle_seconds: ").append(seconds(t.idle())).append('\n');
        y.append("  call_seconds: ").append(seconds(t.call())).append('\n');
        y.append("  cache_priming_seconds: ").append(seconds(t.cachePriming())).append("\n\n");

        y.append("""
                # A file holding the provider's API key (never the key itself). Without it brun reads
                # ANTHROPIC_API_KEY or OPENAI_API_KEY from the environment.
                """);
        if (c.apiKeyFile() == null) y.append("# api_key_file: ~/.config/brun/anthropic.key\n\n");
        else y.append("api_key_file: ").append(quoted(c.apiKeyFile().toString())).append("\n\n");

        y.append("""
                # Prices in US dollars per million tokens, replacing brun's built-in table for a model.
                # cache_write_5m, cache_write_1h and cache_read are optional (default 1.25x, 2x and 0.1x of input).
                """);
        if (c.prices().isEmpty()) {
            y.append("prices:\n");
            y.append("  # claude-sonnet-4-5: {input: 3.00, output: 15.00, cache_write_5m: 3.75, cache_write_1h: 6.00, cache_read: 0.30}\n\n");
        } else {
            y.append("prices:\n");
            for (Map.Entry<String, PriceOverride> e : c.prices().entrySet()) {
                PriceOverride p = e.getValue();
                y.append("  ").append(quoted(e.getKey())).append(": {input: ").append(money(p.input()))
                        .append(", output: ").append(money(p.output()));
                if (p.cacheWrite5m() != null) y.append(", cache_write_5m: ").append(money(p.cacheWrite5m()));
                if (p.cacheWrite1h() != null) y.append(", cache_write_1h: ").append(money(p.cacheWrite1h()));
                if (p.cacheRead() != null) y.append(", cache_read: ").append(money(p.cacheRead()));
                y.append("}\n");
            }
            y.append('\n');
        }

        y.append("""
                # For export: the model the data is meant to fine-tune (training-v4.json's target_model, the
                # train/ configs) and the data's license (the dataset card's license, e.g. cc-by-4.0 or other).
                """);
        if (c.targetModel() == null) y.append("# target_model: meta-llama/Llama-3.1-8B-Instruct\n");
        else y.append("target_model: ").append(quoted(c.targetModel())).append('\n');
        if (c.license() == null) y.append("# license: cc-by-4.0\n\n");
        else y.append("license: ").append(quoted(c.license())).append("\n\n");

        y.append("""
                # The database. Default: the SQLite file brun.db in this folder. For teams and several
                # workers: url: jdbc:postgresql://HOST:5432/DB
                database:
                """);
        if (c.databaseUrl() == null) y.append("  # url: jdbc:postgresql://localhost:5432/brun\n");
        else y.append("  url: ").append(quoted(c.databaseUrl())).append('\n');
        return y.toString();
    }

    private static String money(BigDecimal d) { return d.toPlainString(); }

    /** Double-quoted YAML text, so paths and model names with ':' or '#' survive. */
    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String seconds(java.time.Duration d) {
        return new BigDecimal(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}

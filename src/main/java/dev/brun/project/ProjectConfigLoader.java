package dev.brun.project;

import dev.brun.BadInputException;
import dev.brun.WorkFailedException;
import dev.brun.llm.CacheTtl;
import dev.brun.llm.CallTimeouts;
import dev.brun.pack.Phase;
import dev.brun.plan.CacheLifetime;
import dev.brun.pack.Problems;
import dev.brun.pack.YamlDocument;
import dev.brun.pack.YamlMap;
import dev.brun.pack.YamlValidationException;
import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a project's brun.yaml with the same checks as a pack: every problem reported at once with file,
 * line, column and key. Absent keys take their defaults (see docs/pack-format.md).
 */
public final class ProjectConfigLoader {
    private static final String FILE = ProjectLayout.CONFIG_FILE;
    private static final List<String> CACHE_TTL_VALUES = List.of("auto", "5m", "1h");
    private static final List<String> SECRET_KEYS = List.of("api_key", "anthropic_api_key", "openai_api_key", "key");

    private ProjectConfigLoader() {}

    public static ProjectConfig load(Path projectDir) {
        ProjectLayout layout = ProjectLayout.of(projectDir);
        if (!layout.exists()) {
            throw new BadInputException(layout.root() + " is not a brun project (it has no " + FILE + "); "
                    + "create one with 'brun init " + projectDir + "' or pass --project DIR");
        }
        String text;
        try {
            text = Files.readString(layout.config(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WorkFailedException("cannot read " + layout.config() + ": " + e.getMessage(), e);
        }
        return parse(text, layout.config().toString());
    }

    /** Parses brun.yaml text; where names the file in the error message. */
    public static ProjectConfig parse(String text, String where) {
        Problems problems = new Problems();
        Optional<Node> root = YamlDocument.parse(FILE, text, problems);
        ProjectConfig config = null;
        if (root.isEmpty() && problems.isEmpty()) {
            config = new ProjectConfig(Provider.SIMULATED, Map.of(), null, Concurrency.AUTO,
                    ProjectConfig.DEFAULT_MAX_ATTEMPTS, null, Map.of(), null);
        } else if (root.isPresent()) {
            config = YamlMap.of(FILE, "", root.get(), problems).map(y -> read(y, problems)).orElse(null);
        }
        if (!problems.isEmpty() || config == null) throw new YamlValidationException(where, problems.sorted());
        return config;
    }

    /** timeouts: each key in seconds, absent keys at their defaults. */
    private static CallTimeouts timeouts(YamlMap y) {
        Optional<YamlMap> section = y.map("timeouts", false);
        if (section.isEmpty()) return CallTimeouts.DEFAULTS;
        YamlMap t = section.get();
        CallTimeouts d = CallTimeouts.DEFAULTS;
        CallTimeouts read = new CallTimeouts(seconds(t, "connect_seconds", d.connect()), seconds(t, "first_byte_seconds", d.firstByte()),
                seconds(t, "idle_seconds", d.idle()), seconds(t, "call_seconds", d.call()),
                seconds(t, "cache_priming_seconds", d.cachePriming()));
        t.rejectUnknownKeys();
        return read;
    }

    private static java.time.Duration seconds(YamlMap t, String key, java.time.Duration fallback) {
        BigDecimal s = t.decimal(key, false, new BigDecimal("0.001"), new BigDecimal("86400"));
        return s == null ? fallback : java.time.Duration.ofMillis(s.movePointRight(3).longValue());
    }

    private static ProjectConfig read(YamlMap y, Problems problems) {
        int before = problems.size();
        String providerText = y.choice("provider", false, Provider.wireNames());
        Provider provider = providerText == null ? Provider.SIMULATED : Provider.fromWire(providerText);

        Map<Phase, PhaseSettings> phases = new EnumMap<>(Phase.class);
        y.map("phases", false).ifPresent(p -> {
            for (Phase phase : Phase.values()) {
                p.map(phase.wire(), false).ifPresent(m -> {
                    String model = m.optionalString("model");
                    BigDecimal t = m.decimal("temperature", false, BigDecimal.ZERO, BigDecimal.TWO);
                    m.rejectUnknownKeys();
                    phases.put(phase, new PhaseSettings(model, t == null ? null : t.doubleValue()));
                });
            }
            p.rejectUnknownKeys();
        });

        BigDecimal budget = y.decimal("budget_usd", false, new BigDecimal("0.01"), null);
        Concurrency concurrency = concurrency(y);
        String ttlText = y.choice("cache_ttl", false, CACHE_TTL_VALUES);
        CacheLifetime cacheTtl = ttlText == null || ttlText.equals("auto") ? CacheLifetime.AUTO
                : CacheLifetime.fixed(CacheTtl.fromWire(ttlText).orElseThrow());
        Integer maxAttempts = y.has("max_attempts") ? y.integer("max_attempts", 1, 20) : null;

        Path apiKeyFile = null;
        String keyFile = y.optionalString("api_key_file");
        if (keyFile != null) {
            if (keyFile.startsWith("sk-")) {
                y.problem("api_key_file", "looks like an API key itself; put the key in a file outside the project "
                        + "and give that file's path here (or use the provider's environment variable)");
            } else {
                apiKeyFile = Path.of(keyFile);
            }
        }
        for (String secret : SECRET_KEYS) {
            if (y.has(secret)) {
                y.problem(secret, "brun.yaml never holds API keys (it is easy to commit by mistake); "
                        + "put the key in a file and set api_key_file to its path, or use the provider's environment variable");
            }
        }

        Map<String, PriceOverride> prices = new LinkedHashMap<>();
        y.map("prices", false).ifPresent(p -> {
            for (String model : p.keys()) {
                p.map(model, true).ifPresent(m -> {
                    BigDecimal input = m.decimal("input", true, BigDecimal.ZERO, null);
                    BigDecimal output = m.decimal("output", true, BigDecimal.ZERO, null);
                    BigDecimal write = m.decimal("cache_write_5m", false, BigDecimal.ZERO, null);
                    BigDecimal read = m.decimal("cache_read", false, BigDecimal.ZERO, null);
                    BigDecimal write1h = m.decimal("cache_write_1h", false, BigDecimal.ZERO, null);
                    m.rejectUnknownKeys();
                    if (input != null && output != null) prices.put(model, new PriceOverride(input, output, write, read, write1h));
                });
            }
        });

        String databaseUrl = null;
        Optional<YamlMap> database = y.map("database", false);
        if (database.isPresent()) {
            YamlMap d = database.get();
            databaseUrl = d.optionalString("url");
            if (databaseUrl != null && !databaseUrl.startsWith("jdbc:sqlite:") && !databaseUrl.startsWith("jdbc:postgresql:")) {
                d.problem("url", "'" + databaseUrl + "' is not a JDBC URL brun can open; use jdbc:sqlite:FILE "
                        + "or jdbc:postgresql://HOST/DB (or remove it for the project's brun.db)");
                databaseUrl = null;
            }
            d.rejectUnknownKeys();
        }
        CallTimeouts timeouts = timeouts(y);
        // What the exported data is for and under which terms: written into the v4 file and the dataset card.
        String targetModel = y.optionalString("target_model");
        String license = y.optionalString("license");
        y.rejectUnknownKeys();
        if (problems.size() > before) return null;
        return new ProjectConfig(provider, phases, budget, concurrency,
                maxAttempts == null ? ProjectConfig.DEFAULT_MAX_ATTEMPTS : maxAttempts, apiKeyFile, prices, databaseUrl, cacheTtl,
                timeouts, blankToNull(targetModel), blankToNull(license));
    }

    private static Concurrency concurrency(YamlMap y) {
        if (!y.has("concurrency")) return Concurrency.AUTO;
        String text = y.optionalString("concurrency");
        if (text == null) return Concurrency.AUTO;
        if (text.equalsIgnoreCase("auto")) return Concurrency.AUTO;
        if (!text.matches("[0-9]+")) {
            y.problem("concurrency", "expected auto or a whole number of parallel calls, got '" + text + "'");
            return null;
        }
        Integer n = y.integer("concurrency", 1, 1000);
        return n == null ? null : Concurrency.of(n);
    }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.strip(); }
}

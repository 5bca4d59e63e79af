package dev.brun.project;

import dev.brun.llm.CallTimeouts;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.pack.PhaseDefaults;
import dev.brun.plan.CacheLifetime;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A project's brun.yaml. budgetUsd, apiKeyFile and databaseUrl are null when not set (no cap, key from the
 * environment, SQLite file brun.db in the project). phases holds only the overrides brun.yaml gives.
 * cacheTtl is the prompt-cache lifetime policy (cache_ttl: auto, 5m or 1h); timeouts limit each provider call
 * (timeouts: in brun.yaml, {@link CallTimeouts#DEFAULTS} when absent). targetModel (target_model) is the model
 * the exported data is meant to fine-tune and license the data's license for the dataset card; both null when not set.
 */
public record ProjectConfig(Provider provider, Map<Phase, PhaseSettings> phases, BigDecimal budgetUsd,
                            Concurrency concurrency, int maxAttempts, Path apiKeyFile,
                            Map<String, PriceOverride> prices, String databaseUrl, CacheLifetime cacheTtl,
                            CallTimeouts timeouts, String targetModel, String license) {
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final BigDecimal DEFAULT_BUDGET_USD = new BigDecimal("25.00");

    public ProjectConfig {
        EnumMap<Phase, PhaseSettings> ordered = new EnumMap<>(Phase.class);
        ordered.putAll(phases);
        phases = Collections.unmodifiableMap(ordered);
        prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
        if (cacheTtl == null) cacheTtl = CacheLifetime.AUTO;
        if (timeouts == null) timeouts = CallTimeouts.DEFAULTS;
    }

    /** A config with the default timeouts, without target_model and license. */
    public ProjectConfig(Provider provider, Map<Phase, PhaseSettings> phases, BigDecimal budgetUsd, Concurrency concurrency,
                         int maxAttempts, Path apiKeyFile, Map<String, PriceOverride> prices, String databaseUrl, CacheLifetime cacheTtl) {
        this(provider, phases, budgetUsd, concurrency, maxAttempts, apiKeyFile, prices, databaseUrl, cacheTtl, CallTimeouts.DEFAULTS,
                null, null);
    }

    /** A config without target_model and license. */
    public ProjectConfig(Provider provider, Map<Phase, PhaseSettings> phases, BigDecimal budgetUsd, Concurrency concurrency,
                         int maxAttempts, Path apiKeyFile, Map<String, PriceOverride> prices, String databaseUrl, CacheLifetime cacheTtl,
                         CallTimeouts timeouts) {
        this(provider, phases, budgetUsd, concurrency, maxAttempts, apiKeyFile, prices, databaseUrl, cacheTtl, timeouts, null, null);
    }

    /** A config with cache_ttl auto. */
    public ProjectConfig(Provider provider, Map<Phase, PhaseSettings> phases, BigDecimal budgetUsd, Concurrency concurrency,
                         int maxAttempts, Path apiKeyFile, Map<String, PriceOverride> prices, String databaseUrl) {
        this(provider, phases, budgetUsd, concurrency, maxAttempts, apiKeyFile, prices, databaseUrl, CacheLifetime.AUTO);
    }

    public ProjectConfig withCacheTtl(CacheLifetime lifetime) {
        return new ProjectConfig(provider, phases, budgetUsd, concurrency, maxAttempts, apiKeyFile, prices, databaseUrl, lifetime,
                timeouts, targetModel, license);
    }

    public ProjectConfig withTimeouts(CallTimeouts t) {
        return new ProjectConfig(provider, phases, budgetUsd, concurrency, maxAttempts, apiKeyFile, prices, databaseUrl, cacheTtl, t,
                targetModel, license);
    }

    public ProjectConfig withExportFacts(String newTargetModel, String newLicense) {
        return new ProjectConfig(provider, phases, budgetUsd, concurrency, maxAttempts, apiKeyFile, prices, databaseUrl, cacheTtl,
                timeouts, newTargetModel, newLicense);
    }

    public ProjectConfig withBudgetUsd(BigDecimal usd) {
        return new ProjectConfig(provider, phases, usd, concurrency, maxAttempts, apiKeyFile, prices, databaseUrl, cacheTtl, timeouts,
                targetModel, license);
    }

    /** The same settings with one phase's model replaced (its temperature kept). */
    public ProjectConfig withModel(Phase phase, String model) {
        Map<Phase, PhaseSettings> changed = new EnumMap<>(Phase.class);
        changed.putAll(phases);
        PhaseSettings old = changed.get(phase);
        changed.put(phase, new PhaseSettings(model, old == null ? null : old.temperature()));
        return new ProjectConfig(provider, changed, budgetUsd, concurrency, maxAttempts, apiKeyFile, prices, databaseUrl, cacheTtl, timeouts,
                targetModel, license);
    }

    /** What brun init writes: the simulated provider, the pack's models and temperatures, a $25 cap. */
    public static ProjectConfig defaults(Pack pack) {
        Map<Phase, PhaseSettings> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            PhaseDefaults d = pack.rules().defaults(phase);
            phases.put(phase, new PhaseSettings(d.model(), d.temperature()));
        }
        return new ProjectConfig(Provider.SIMULATED, phases, DEFAULT_BUDGET_USD, Concurrency.AUTO,
                DEFAULT_MAX_ATTEMPTS, null, Map.of(), null);
    }

    /** The settings a phase really runs with: brun.yaml's model and temperature over the pack's defaults. */
    public PhaseDefaults effective(Phase phase, Pack pack) {
        PhaseDefaults d = pack.rules().defaults(phase);
        PhaseSettings s = phases.get(phase);
        if (s == null) return d;
        return new PhaseDefaults(s.model() == null ? d.model() : s.model(),
                s.temperature() == null ? d.temperature() : s.temperature(), d.variations(), d.maxTurns());
    }

    /** The JDBC URL to open: database.url, or the SQLite file brun.db inside the project. */
    public String jdbcUrl(ProjectLayout layout) {
        return databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + layout.database();
    }

    /** api_key_file resolved against the project folder ("~/" is the home folder); null when not set. */
    public Path resolvedApiKeyFile(ProjectLayout layout) {
        if (apiKeyFile == null) return null;
        String s = apiKeyFile.toString();
        if (s.equals("~") || s.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(s.equals("~") ? "" : s.substring(2)).normalize();
        }
        return layout.root().resolve(apiKeyFile).normalize();
    }
}

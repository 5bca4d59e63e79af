package dev.brun.project;

import dev.brun.BadInputException;
import dev.brun.llm.CacheTtl;
import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.pack.PackProblem;
import dev.brun.pack.Phase;
import dev.brun.pack.PhaseDefaults;
import dev.brun.pack.YamlValidationException;
import dev.brun.plan.CacheLifetime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProjectConfigTest {
    private static final Pack PACK = PackLoader.loadBuiltin("financial-planning");

    @TempDir Path project;

    @Test
    void defaultsComeFromThePackAndSurviveAWriteReadRoundTrip() {
        ProjectConfig defaults = ProjectConfig.defaults(PACK);
        assertThat(defaults.provider()).isEqualTo(Provider.SIMULATED);
        assertThat(defaults.phases().get(Phase.SEED)).isEqualTo(new PhaseSettings("claude-sonnet-4-5", 0.75));
        assertThat(defaults.phases().get(Phase.EXPANSION)).isEqualTo(new PhaseSettings("claude-haiku-4-5", 0.95));
        assertThat(defaults.concurrency().isAuto()).isTrue();

        Path file = ProjectConfigWriter.write(project, defaults);
        assertThat(file).isEqualTo(project.toAbsolutePath().normalize().resolve("brun.yaml"));
        assertThat(ProjectConfigLoader.load(project)).isEqualTo(defaults);
    }

    @Test
    void everySettingSurvivesARoundTrip() {
        ProjectConfig config = new ProjectConfig(Provider.ANTHROPIC,
                Map.of(Phase.SEED, new PhaseSettings("claude-opus-4-5", 0.7), Phase.EDGE, new PhaseSettings(null, 1.1)),
                new BigDecimal("12.50"), Concurrency.of(8), 3, Path.of("~/.config/brun/key"),
                Map.of("claude-sonnet-4-5", new PriceOverride(new BigDecimal("2.5"), new BigDecimal("12"), null, new BigDecimal("0.25"))),
                "jdbc:postgresql://db.example:5432/brun");
        ProjectConfigWriter.write(project, config);
        assertThat(ProjectConfigLoader.load(project)).isEqualTo(config);
    }

    @Test
    void targetModelAndLicenseAreReadWrittenAndAbsentByDefault() {
        assertThat(ProjectConfigLoader.parse("provider: simulated\n", "brun.yaml").targetModel()).isNull();
        ProjectConfig parsed = ProjectConfigLoader.parse("target_model: mistral-7b\nlicense: cc-by-4.0\n", "brun.yaml");
        assertThat(parsed.targetModel()).isEqualTo("mistral-7b");
        assertThat(parsed.license()).isEqualTo("cc-by-4.0");
        ProjectConfig config = ProjectConfig.defaults(PACK).withExportFacts("meta-llama/Llama-3.1-8B-Instruct", "other");
        ProjectConfigWriter.write(project, config);
        assertThat(ProjectConfigLoader.load(project)).isEqualTo(config);
    }

    @Test
    void changingTheBudgetOrAPhaseModelKeepsEveryOtherSetting() {
        ProjectConfig config = ProjectConfigLoader.parse("""
                target_model: mistral-7b
                license: cc-by-4.0
                timeouts:
                  connect_seconds: 3
                """, "brun.yaml");
        for (ProjectConfig changed : List.of(config.withBudgetUsd(new BigDecimal("40")),
                config.withModel(Phase.EXPANSION, "claude-haiku-4-5"))) {
            assertThat(changed.targetModel()).isEqualTo("mistral-7b");
            assertThat(changed.license()).isEqualTo("cc-by-4.0");
            assertThat(changed.timeouts()).isEqualTo(config.timeouts()).isNotEqualTo(dev.brun.llm.CallTimeouts.DEFAULTS);
        }
    }

    @Test
    void cacheTtlDefaultsToAutoAndAcceptsFiveMinutesOrOneHour() {
        assertThat(ProjectConfigLoader.parse("provider: simulated\n", "brun.yaml").cacheTtl()).isEqualTo(CacheLifetime.AUTO);
        assertThat(ProjectConfigLoader.parse("cache_ttl: auto\n", "brun.yaml").cacheTtl().isAuto()).isTrue();
        assertThat(ProjectConfigLoader.parse("cache_ttl: 5m\n", "brun.yaml").cacheTtl()).isEqualTo(CacheLifetime.fixed(CacheTtl.FIVE_MINUTES));
        assertThat(ProjectConfigLoader.parse("cache_ttl: 1H\n", "brun.yaml").cacheTtl()).isEqualTo(CacheLifetime.fixed(CacheTtl.ONE_HOUR));
    }

    @Test
    void anUnknownCacheTtlIsReportedWithFileLineAndTheAllowedValues() {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class, () -> ProjectConfigLoader.parse("""
                provider: anthropic
                cache_ttl: 30m
                """, "brun.yaml"));
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.problems()).extracting(PackProblem::format).containsExactly(
                "brun.yaml:2:12: cache_ttl: '30m' is not one of auto, 5m, 1h");
    }

    @Test
    void cacheTtlAndTheOneHourWritePriceSurviveARoundTrip() {
        ProjectConfig config = ProjectConfig.defaults(PACK).withCacheTtl(CacheLifetime.fixed(CacheTtl.ONE_HOUR));
        config = new ProjectConfig(config.provider(), config.phases(), config.budgetUsd(), config.concurrency(), config.maxAttempts(),
                config.apiKeyFile(), Map.of("claude-sonnet-4-5", new PriceOverride(new BigDecimal("3"), new BigDecimal("15"), null, null,
                new BigDecimal("5.5"))), config.databaseUrl(), config.cacheTtl());
        ProjectConfigWriter.write(project, config);
        assertThat(ProjectConfigLoader.load(project)).isEqualTo(config);
        assertThat(ProjectConfigWriter.render(config)).contains("cache_ttl: 1h").contains("cache_write_1h: 5.5");
    }

    @Test
    void timeoutsAreReadInSecondsWithDefaultsForAbsentKeysAndSurviveARoundTrip() {
        ProjectConfig config = ProjectConfigLoader.parse("""
                timeouts:
                  first_byte_seconds: 2.5
                  cache_priming_seconds: 0.3
                """, "brun.yaml");
        dev.brun.llm.CallTimeouts t = config.timeouts();
        assertThat(t.firstByte()).isEqualTo(java.time.Duration.ofMillis(2_500));
        assertThat(t.cachePriming()).isEqualTo(java.time.Duration.ofMillis(300));
        assertThat(t.connect()).isEqualTo(dev.brun.llm.CallTimeouts.DEFAULTS.connect());
        assertThat(t.call()).isEqualTo(dev.brun.llm.CallTimeouts.DEFAULTS.call());
        assertThat(ProjectConfigLoader.parse("provider: simulated\n", "brun.yaml").timeouts()).isEqualTo(dev.brun.llm.CallTimeouts.DEFAULTS);
        ProjectConfig written = ProjectConfig.defaults(PACK).withTimeouts(t);
        ProjectConfigWriter.write(project, written);
        assertThat(ProjectConfigLoader.load(project)).isEqualTo(written);
        assertThat(ProjectConfigWriter.render(written)).contains("  first_byte_seconds: 2.5\n").contains("  idle_seconds: 60\n");
    }

    @Test
    void aWrongTimeoutIsReportedWithFileLineAndKey() {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class, () -> ProjectConfigLoader.parse("""
                timeouts:
                  idle_seconds: 0
                  first_bite_seconds: 10
                """, "brun.yaml"));
        assertThat(e.problems()).extracting(PackProblem::format).anySatisfy(m -> assertThat(m).startsWith("brun.yaml:2:").contains("idle_seconds"))
                .anySatisfy(m -> assertThat(m).startsWith("brun.yaml:3:").contains("first_bite_seconds").contains("first_byte_seconds"));
    }

    @Test
    void writtenFileIsCommented() throws IOException {
        ProjectConfigWriter.write(project, ProjectConfig.defaults(PACK));
        String text = Files.readString(project.resolve("brun.yaml"));
        assertThat(text).contains("# Who generates the conversations").contains("provider: simulated")
                .contains("budget_usd: 25.00").contains("concurrency: auto").contains("# api_key_file:")
                .contains("# Prompt-cache lifetime").contains("cache_ttl: auto");
    }

    @Test
    void uncommentingTheWrittenExamplesGivesAValidConfig() throws IOException {
        ProjectConfigWriter.write(project, ProjectConfig.defaults(PACK));
        Path file = project.resolve("brun.yaml");
        String text = Files.readString(file)
                .replace("  # claude-sonnet-4-5:", "  claude-sonnet-4-5:")
                .replace("# api_key_file:", "api_key_file:")
                .replace("  # url: jdbc:postgresql", "  url: jdbc:postgresql");
        Files.writeString(file, text);
        ProjectConfig config = ProjectConfigLoader.load(project);
        assertThat(config.prices().get("claude-sonnet-4-5").cacheRead()).isEqualByComparingTo("0.30");
        assertThat(config.prices().get("claude-sonnet-4-5").cacheWrite1h()).isEqualByComparingTo("6.00");
        assertThat(config.apiKeyFile()).isEqualTo(Path.of("~/.config/brun/anthropic.key"));
        assertThat(config.databaseUrl()).startsWith("jdbc:postgresql://");
    }

    @Test
    void effectiveSettingsLayerBrunYamlOverThePack() {
        ProjectConfig config = ProjectConfigLoader.parse("""
                phases:
                  expansion: {temperature: 1.0}
                """, "brun.yaml");
        PhaseDefaults expansion = config.effective(Phase.EXPANSION, PACK);
        assertThat(expansion.model()).isEqualTo("claude-haiku-4-5");
        assertThat(expansion.temperature()).isEqualTo(1.0);
        assertThat(expansion.variations()).isEqualTo(5);
        assertThat(config.effective(Phase.SEED, PACK)).isEqualTo(PACK.rules().defaults(Phase.SEED));
    }

    @Test
    void wrongKeyIsReportedWithLineColumnAndSuggestion() throws IOException {
        Files.writeString(project.resolve("brun.yaml"), """
                provider: anthropic
                budget: 10
                phases:
                  seed:
                    modle: claude-sonnet-4-5
                """);
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class, () -> ProjectConfigLoader.load(project));
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.problems()).extracting(PackProblem::format).containsExactly(
                "brun.yaml:2:1: budget: unknown key 'budget'; did you mean 'budget_usd'?",
                "brun.yaml:5:5: phases.seed.modle: unknown key 'modle'; did you mean 'model'?");
    }

    @Test
    void badValuesAreAllReported() {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class, () -> ProjectConfigLoader.parse("""
                provider: gemini
                concurrency: lots
                max_attempts: 0
                budget_usd: -5
                prices:
                  claude-sonnet-4-5: {input: three}
                database:
                  url: mysql://localhost/brun
                """, "brun.yaml"));
        assertThat(e.problems()).extracting(PackProblem::field).containsExactlyInAnyOrder("provider", "concurrency",
                "max_attempts", "budget_usd", "prices.claude-sonnet-4-5.input", "prices.claude-sonnet-4-5.output", "database.url");
        assertThat(e.problems()).filteredOn(p -> p.field().equals("provider")).singleElement()
                .extracting(PackProblem::message).isEqualTo("'gemini' is not one of simulated, anthropic, openai");
    }

    @Test
    void apiKeysNeverBelongInBrunYaml() {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class, () -> ProjectConfigLoader.parse("""
                api_key: sk-ant-123
                api_key_file: sk-ant-456
                """, "brun.yaml"));
        assertThat(e.problems()).hasSize(2).allSatisfy(p -> assertThat(p.message()).contains("key"));
        assertThat(e.getMessage()).doesNotContain("sk-ant-123").doesNotContain("sk-ant-456");
    }

    @Test
    void emptyFileMeansAllDefaultsAndTheDatabaseIsTheProjectSqliteFile() throws IOException {
        Files.writeString(project.resolve("brun.yaml"), "# nothing set\n");
        ProjectConfig config = ProjectConfigLoader.load(project);
        assertThat(config.provider()).isEqualTo(Provider.SIMULATED);
        assertThat(config.budgetUsd()).isNull();
        assertThat(config.maxAttempts()).isEqualTo(ProjectConfig.DEFAULT_MAX_ATTEMPTS);
        ProjectLayout layout = ProjectLayout.of(project);
        assertThat(config.jdbcUrl(layout)).isEqualTo("jdbc:sqlite:" + layout.root().resolve("brun.db"));
    }

    @Test
    void missingBrunYamlSaysHowToCreateAProject() {
        BadInputException e = catchThrowableOfType(BadInputException.class, () -> ProjectConfigLoader.load(project));
        assertThat(e.getMessage()).contains("is not a brun project").contains("brun init");
    }

    @Test
    void malformedBrunYamlIsReportedWithItsLine() {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class,
                () -> ProjectConfigLoader.parse("provider: anthropic\nphases: {seed: [\n", "brun.yaml"));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).startsWith("malformed YAML");
            assertThat(p.line()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void apiKeyFileResolvesAgainstTheProjectOrHome() {
        ProjectLayout layout = ProjectLayout.of(project);
        ProjectConfig relative = ProjectConfigLoader.parse("api_key_file: secrets/key.txt\n", "brun.yaml");
        assertThat(relative.resolvedApiKeyFile(layout)).isEqualTo(layout.root().resolve("secrets/key.txt"));
        ProjectConfig home = ProjectConfigLoader.parse("api_key_file: ~/k\n", "brun.yaml");
        assertThat(home.resolvedApiKeyFile(layout)).isEqualTo(Path.of(System.getProperty("user.home"), "k"));
    }
}

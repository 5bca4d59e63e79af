package dev.brun.run;

import dev.brun.BadInputException;
import dev.brun.llm.AdaptiveConcurrency;
import dev.brun.llm.LlmClient;
import dev.brun.llm.LocalPacingState;
import dev.brun.llm.PacingState;
import dev.brun.llm.ProviderSettings;
import dev.brun.llm.Resilience;
import dev.brun.llm.RetryPolicy;
import dev.brun.llm.anthropic.AnthropicBatchClient;
import dev.brun.llm.anthropic.AnthropicClient;
import dev.brun.llm.openai.OpenAiClient;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.project.Concurrency;
import dev.brun.project.Project;
import dev.brun.project.Provider;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The provider client a project runs with, and what it needs to stay alive (the simulated provider's
 * local server). Keys come from the environment or the key file named in brun.yaml, never from the project.
 */
public final class ProviderConnection implements AutoCloseable {
    /** One limit for a whole call, for clients made outside a project (brun.yaml's timeouts: apply inside one). */
    public static final Duration REQUEST_TIMEOUT = dev.brun.llm.CallTimeouts.DEFAULTS.call();

    private final LlmClient client;
    private final AutoCloseable resource;
    private final int maxConcurrency;
    private final AnthropicBatchClient batches;

    private ProviderConnection(LlmClient client, AutoCloseable resource, int maxConcurrency, AnthropicBatchClient batches) {
        this.client = client;
        this.resource = resource;
        this.maxConcurrency = maxConcurrency;
        this.batches = batches;
    }

    /** Environment variable that slows the simulated provider down (milliseconds, "N" or "MIN-MAX"), e.g. to test kill -9. */
    public static final String SIMULATED_LATENCY_ENV = "BRUN_SIMULATED_LATENCY_MS";

    /** Overrides ANTHROPIC_BASE_URL from inside the JVM (an embedding application, or tests, cannot set the environment). */
    public static final String ANTHROPIC_BASE_URL_PROPERTY = "brun.anthropic.base-url";

    /** Overrides OPENAI_BASE_URL from inside the JVM, as {@link #ANTHROPIC_BASE_URL_PROPERTY} does for Anthropic. */
    public static final String OPENAI_BASE_URL_PROPERTY = "brun.openai.base-url";

    public static ProviderConnection open(Project project, Provider provider, Concurrency concurrency) {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        String baseUrl = System.getProperty(ANTHROPIC_BASE_URL_PROPERTY);
        if (baseUrl != null && !baseUrl.isBlank()) env.put("ANTHROPIC_BASE_URL", baseUrl);
        String openAiBaseUrl = System.getProperty(OPENAI_BASE_URL_PROPERTY);
        if (openAiBaseUrl != null && !openAiBaseUrl.isBlank()) env.put("OPENAI_BASE_URL", openAiBaseUrl);
        return open(project, provider, concurrency, env, simulation(env));
    }

    /** The simulated provider's settings, with the latency of {@value #SIMULATED_LATENCY_ENV} when it is set. */
    static SimulatedProvider.Settings simulation(Map<String, String> env) {
        String value = env.get(SIMULATED_LATENCY_ENV);
        if (value == null || value.isBlank()) return SimulatedProvider.Settings.DEFAULT;
        String[] parts = value.trim().split("-", -1);
        try {
            long min = Long.parseLong(parts[0].trim());
            long max = parts.length == 2 ? Long.parseLong(parts[1].trim()) : min;
            if (parts.length > 2 || min < 0 || max < min) throw new NumberFormatException();
            return SimulatedProvider.Settings.DEFAULT.withLatency(Duration.ofMillis(min), Duration.ofMillis(max));
        } catch (NumberFormatException e) {
            throw new BadInputException(SIMULATED_LATENCY_ENV + "=" + value
                    + " is not a latency in milliseconds: give N or MIN-MAX, e.g. 200 or 100-300");
        }
    }

    public static ProviderConnection open(Project project, Provider provider, Concurrency concurrency,
                                          Map<String, String> env, SimulatedProvider.Settings simulation) {
        AdaptiveConcurrency limit = concurrency.isAuto() ? AdaptiveConcurrency.auto() : AdaptiveConcurrency.fixed(concurrency.fixed());
        int max = concurrency.isAuto() ? 64 : concurrency.fixed();
        dev.brun.llm.CallTimeouts timeouts = project.config().timeouts();
        return switch (provider) {
            case SIMULATED -> {
                SimulatedProvider sim = new SimulatedProvider(simulation, SimulatedUnits.of(project));
                Resilience resilience = resilience(project, limit, scope("simulated", sim.start()));
                var simClient = sim.client(timeouts, resilience);
                yield new ProviderConnection(simClient, sim, max,
                        new AnthropicBatchClient(sim.baseUrl(), "simulated-key", timeouts, resilience));
            }
            case ANTHROPIC -> {
                ProviderSettings s = ProviderSettings.fromEnvironment(env, project.config().resolvedApiKeyFile(project.layout()));
                String key = s.requireAnthropicKey();
                Resilience resilience = resilience(project, limit, scope("anthropic", s.anthropicBaseUrl()));
                yield new ProviderConnection(new AnthropicClient(s.anthropicBaseUrl(), key, timeouts, resilience, "anthropic"), null, max,
                        new AnthropicBatchClient(s.anthropicBaseUrl(), key, timeouts, resilience));
            }
            case OPENAI -> {
                ProviderSettings s = ProviderSettings.fromEnvironment(env, project.config().resolvedApiKeyFile(project.layout()));
                Resilience resilience = resilience(project, limit, scope("openai", s.openAiBaseUrl()));
                yield new ProviderConnection(new OpenAiClient(s.openAiBaseUrl(), s.openAiApiKey().orElse(null), timeouts, resilience), null, max, null);
            }
        };
    }

    /** Names an endpoint for shared pacing: scheme, host, port and path only (a URL may carry credentials). */
    static String scope(String provider, java.net.URI baseUrl) {
        String port = baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort();
        String path = baseUrl.getPath() == null ? "" : baseUrl.getPath();
        return provider + " " + baseUrl.getScheme() + "://" + baseUrl.getHost() + port + path;
    }

    /**
     * Retries, concurrency and pacing for one provider endpoint. Pacing state lives in the project's database,
     * so that every process generating for the project on this endpoint paces against the same limits; processes
     * using different keys on one endpoint would each be held to the shared picture (README: one key per project).
     */
    static Resilience resilience(Project project, AdaptiveConcurrency limit, String scope) {
        Clock clock = Clock.systemUTC();
        PacingState pacing = new DatabasePacing(project.db().pacing(), scope, LeaseOwner.current().id(), clock,
                project.config().timeouts().call().plusMinutes(1), new LocalPacingState());
        return Resilience.of(RetryPolicy.DEFAULT.withMaxAttempts(project.config().maxAttempts()), limit, clock,
                dev.brun.llm.Sleeper.SYSTEM, pacing);
    }

    public LlmClient client() { return client; }

    /**
     * The Message Batches client of this provider (Anthropic and the simulated provider, which speaks the
     * same protocol); empty for OpenAI-compatible servers, which have no batch endpoint we use.
     */
    public java.util.Optional<AnthropicBatchClient> batches() { return java.util.Optional.ofNullable(batches); }

    /** Upper bound on calls in flight: the number of engine workers worth starting. */
    public int maxConcurrency() { return maxConcurrency; }

    @Override
    public void close() {
        if (resource == null) return;
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop " + client.provider() + " provider", e);
        }
    }
}

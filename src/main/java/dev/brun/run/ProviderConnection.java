package dev.brun.run;

import dev.brun.BadInputException;
import dev.brun.llm.AdaptiveConcurrency;
import dev.brun.llm.LlmClient;
import dev.brun.llm.ProviderSettings;
import dev.brun.llm.Resilience;
import dev.brun.llm.RetryPolicy;
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
    public static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final LlmClient client;
    private final AutoCloseable resource;
    private final int maxConcurrency;

    private ProviderConnection(LlmClient client, AutoCloseable resource, int maxConcurrency) {
        this.client = client;
        this.resource = resource;
        this.maxConcurrency = maxConcurrency;
    }

    /** Environment variable that slows the simulated provider down (milliseconds, "N" or "MIN-MAX"), e.g. to test kill -9. */
    public static final String SIMULATED_LATENCY_ENV = "BRUN_SIMULATED_LATENCY_MS";

    public static ProviderConnection open(Project project, Provider provider, Concurrency concurrency) {
        Map<String, String> env = System.getenv();
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
        Resilience resilience = Resilience.of(RetryPolicy.DEFAULT.withMaxAttempts(project.config().maxAttempts()), limit,
                Clock.systemUTC(), dev.brun.llm.Sleeper.SYSTEM);
        return switch (provider) {
            case SIMULATED -> {
                SimulatedProvider sim = new SimulatedProvider(simulation);
                yield new ProviderConnection(sim.client(REQUEST_TIMEOUT, resilience), sim, max);
            }
            case ANTHROPIC -> {
                ProviderSettings s = ProviderSettings.fromEnvironment(env, project.config().resolvedApiKeyFile(project.layout()));
                yield new ProviderConnection(new AnthropicClient(s.anthropicBaseUrl(), s.requireAnthropicKey(), REQUEST_TIMEOUT, resilience), null, max);
            }
            case OPENAI -> {
                ProviderSettings s = ProviderSettings.fromEnvironment(env, project.config().resolvedApiKeyFile(project.layout()));
                yield new ProviderConnection(new OpenAiClient(s.openAiBaseUrl(), s.openAiApiKey().orElse(null), REQUEST_TIMEOUT, resilience), null, max);
            }
        };
    }

    public LlmClient client() { return client; }

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

package dev.brun.run;

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

    public static ProviderConnection open(Project project, Provider provider, Concurrency concurrency) {
        return open(project, provider, concurrency, System.getenv(), SimulatedProvider.Settings.DEFAULT);
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

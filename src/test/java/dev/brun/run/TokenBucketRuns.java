package dev.brun.run;

import dev.brun.llm.AdaptiveConcurrency;
import dev.brun.llm.LlmClient;
import dev.brun.llm.Resilience;
import dev.brun.llm.RetryPolicy;
import dev.brun.llm.Sleeper;
import dev.brun.llm.sim.LongReplies;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.project.Project;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Engines ("processes": each its own client, pacer and concurrency, sharing nothing but the project's database, where
 * their pacing state is kept unless the run says HEADERS_ONLY)
 * generating against the simulator in token-bucket mode with replies as long as a real model's. Reports what the
 * server saw: calls admitted, 429s, and the share of the output-token limit used in steady state.
 */
final class TokenBucketRuns {
    /** Rate limits of one key, per (scaled) minute, and the replies' length and latency. */
    record Limits(long requestsPerMinute, long inputTokensPerMinute, long outputTokensPerMinute, Duration minute,
                  Duration minLatency, Duration maxLatency, int meanReplyTokens, int replySpread) {
        SimulatedProvider.Settings settings() {
            return new SimulatedProvider.Settings(minLatency, maxLatency, 0.0, 1L, (int) requestsPerMinute,
                    inputTokensPerMinute, outputTokensPerMinute, minute);
        }
    }

    /** What a run did, server side. */
    record Result(int admitted, int rateLimited, double steadyShareOfOutputLimit, double meanOutputTokens,
                  double meanMaxTokens, int truncated, int done, double seconds) {
        double rateLimitedShare() { return admitted + rateLimited == 0 ? 0 : (double) rateLimited / (admitted + rateLimited); }

        String line(String what) {
            return String.format(Locale.ROOT, "| %s | %d | %d (%.2f%%) | %.1f%% | %.0f | %.0f | %d | %.0f s |", what, admitted, rateLimited,
                    100 * rateLimitedShare(), 100 * steadyShareOfOutputLimit, meanOutputTokens, meanMaxTokens, truncated, seconds);
        }
    }

    private TokenBucketRuns() {}

    /** Where each engine's pacer keeps what it knows. */
    enum Pacing {
        /** What brun does: in the project's database, shared by every process on the endpoint. */
        SHARED,
        /** Each process on its own, from the headers of its own replies only (the baseline). */
        HEADERS_ONLY
    }

    static Result run(List<Project> processes, SimulatedProvider sim, LongReplies replies, Limits limits, int workers, int limitPerProcess)
            throws Exception {
        return run(processes, sim, replies, limits, workers, limitPerProcess, Pacing.SHARED);
    }

    /** Runs one engine per project (all on the same database) at once, each with `workers` workers, until no unit is left. */
    static Result run(List<Project> processes, SimulatedProvider sim, LongReplies replies, Limits limits, int workers, int limitPerProcess,
                      Pacing pacing) throws Exception {
        int before = replies.calls().size();
        int admittedBefore = sim.server().admittedCount();
        int limitedBefore = sim.server().rateLimitedCount();
        long t0 = System.nanoTime();
        int done = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(processes.size())) {
            List<Future<RunSummary>> runs = new ArrayList<>();
            for (Project project : processes) {
                Resilience resilience = pacing == Pacing.SHARED
                        ? ProviderConnection.resilience(project, AdaptiveConcurrency.auto(), ProviderConnection.scope("simulated", sim.start()))
                        : Resilience.of(RetryPolicy.DEFAULT, AdaptiveConcurrency.auto(), Clock.systemUTC(), Sleeper.SYSTEM);
                LlmClient client = sim.client(Duration.ofSeconds(60), resilience);
                EngineSettings settings = EngineSettings.defaults().withWorkers(workers).withBudget(Double.POSITIVE_INFINITY);
                if (limitPerProcess > 0) settings = settings.withLimit(limitPerProcess);
                EngineSettings chosen = settings;
                runs.add(pool.submit(() -> EngineFixtures.engine(project, client, chosen).run()));
            }
            for (Future<RunSummary> r : runs) done += r.get().done();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<LongReplies.Call> calls = replies.calls().subList(before, replies.calls().size()).stream()
                .sorted(Comparator.comparingLong(LongReplies.Call::answeredAtNanos)).toList();
        return new Result(sim.server().admittedCount() - admittedBefore, sim.server().rateLimitedCount() - limitedBefore,
                steadyShare(calls, limits), calls.stream().mapToLong(LongReplies.Call::outputTokens).average().orElse(0),
                calls.stream().mapToLong(LongReplies.Call::maxTokens).average().orElse(0),
                (int) calls.stream().filter(LongReplies.Call::truncated).count(), done, seconds);
    }

    /**
     * Output tokens of the calls admitted between the 40th and the 95th percent of the run, against what the limit
     * refills in that time: the ramp and the full bucket a run starts with (spent by then) are left out, and
     * admissions go on at pace until the last unit is claimed.
     */
    static double steadyShare(List<LongReplies.Call> calls, Limits limits) {
        if (calls.size() < 10) return 0;
        int from = calls.size() * 2 / 5, to = calls.size() * 19 / 20;
        long tokens = 0;
        for (int i = from; i < to; i++) tokens += calls.get(i).outputTokens();
        double nanos = calls.get(to).answeredAtNanos() - calls.get(from).answeredAtNanos();
        double allowed = limits.outputTokensPerMinute() * nanos / limits.minute().toNanos();
        return tokens / allowed;
    }
}

package dev.brun.cli;

import dev.brun.conversation.ReviewStatus;
import dev.brun.pack.Topic;
import dev.brun.project.Project;
import dev.brun.store.ConversationFilter;
import dev.brun.store.StoredConversation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The issue-8 cost benchmark: the seed document's 1,500-conversation plan (150 seed on Sonnet 4.5, 1,200
 * expansion on Haiku 4.5, 150 edge on Sonnet 4.5) estimated four ways, then run end to end on the simulated
 * provider (seed one call at a time with caching, expansion and edge through Message Batches), and the
 * estimate set against the spend ledger. Prints a markdown table for BENCHMARKS.md. Run by
 * scripts/cost-benchmark.sh; not part of the test suite.
 */
public final class CostBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("brun-cost-").resolve("project");
        String p = dir.toString();
        long started = System.currentTimeMillis();
        run("init", p, "--pack", "financial-planning");
        List<String> topics;
        try (Project proj = Project.open(dir)) {
            topics = proj.pack().topics().stream().map(Topic::key).toList();
        }
        // the default budget_usd (25) is below the worst-case reservation of 1,200 batch requests at max_tokens: the run sets its own cap
        // 150 seed units: every persona x arc over the first ten topics; 150 edge units over the other ten
        for (String t : topics.subList(0, 10)) run("plan", "--project", p, "--phase", "seed", "--only", "topic=" + t);
        JsonNode seedEstimate = json("estimate", "--project", p, "--json");
        run("generate", "--project", p, "--provider", "simulated");

        int approved = approveUsableSeeds(dir);
        JsonNode expand = json("expand", "--project", p, "--per-combination", "8", "--model", "claude-haiku-4-5", "--json");
        for (String t : topics.subList(10, 20)) run("plan", "--project", p, "--phase", "edge", "--only", "topic=" + t);
        JsonNode laterEstimate = json("estimate", "--project", p, "--json");

        run("generate", "--project", p, "--provider", "simulated", "--batch", "--phase", "expansion", "--budget", "60");
        run("generate", "--project", p, "--provider", "simulated", "--batch", "--phase", "edge", "--budget", "60");
        // near-duplicates and too-alike variations are found across conversations, so usable is counted after check
        run("check", "--project", p);
        JsonNode compare = json("estimate", "--project", p, "--compare", "--json");
        JsonNode status = json("status", "--project", p, "--json");
        double seconds = (System.currentTimeMillis() - started) / 1000.0;

        PrintWriter out = new PrintWriter(System.out, true);
        out.printf("Project: %s (%.0f s wall)%n%n", p, seconds);
        out.printf("Approved as seed examples: %d; expansion: %d units, %d example(s) per prompt, shortest prefix %d tokens (Haiku minimum %d), cache applies: %s%n%n",
                approved, expand.path("units_in_plan").asInt(), expand.path("examples_per_prompt").asInt(),
                expand.path("smallest_prefix_tokens").asLong(), expand.path("min_cacheable_prefix_tokens").asInt(), expand.path("cache_applies").asBoolean());
        out.println("Estimate before spending (seed estimated before the seed run; expansion and edge after the seeds were approved):");
        out.println();
        out.println("| phase | model | units | plain $ | cached $ | batch $ | cached + batch $ |");
        out.println("|---|---|---:|---:|---:|---:|---:|");
        double[] sum = new double[4];
        int units = 0;
        for (JsonNode est : List.of(seedEstimate, laterEstimate))
            for (JsonNode l : est.path("lines")) {
                out.printf("| %s | %s | %d | %.2f | %.2f | %.2f | %.2f |%n", l.path("phase").asString(), l.path("model").asString(),
                        l.path("units").asInt(), l.path("cost_plain").asDouble(), l.path("cost_cached").asDouble(),
                        l.path("cost_batch").asDouble(), l.path("cost_cached_batch").asDouble());
                sum[0] += l.path("cost_plain").asDouble();
                sum[1] += l.path("cost_cached").asDouble();
                sum[2] += l.path("cost_batch").asDouble();
                sum[3] += l.path("cost_cached_batch").asDouble();
                units += l.path("units").asInt();
            }
        out.printf("| **total** | | %d | %.2f | %.2f | %.2f | %.2f |%n", units, sum[0], sum[1], sum[2], sum[3]);
        out.printf("| per conversation | | | %.4f | %.4f | %.4f | %.4f |%n%n", sum[0] / units, sum[1] / units, sum[2] / units, sum[3] / units);

        out.println("Run on the simulated provider (seed: one call at a time with caching; expansion and edge: Message Batches), estimate of what ran next to the ledger:");
        out.println();
        out.println("| phase | model | units run | how | estimated $ | actual $ | difference |");
        out.println("|---|---|---:|---|---:|---:|---:|");
        double est = 0, act = 0;
        for (JsonNode r : compare.path("comparison")) {
            double share = r.path("batch_share").asDouble();
            out.printf("| %s | %s | %d | %s | %.2f | %.2f | %+.1f%% |%n", r.path("phase").asString(), r.path("model").asString(),
                    r.path("units").asInt(), share > 0.999 ? "cached + batch" : share < 0.001 ? "cached" : "mixed",
                    r.path("estimated_usd").asDouble(), r.path("actual_usd").asDouble(), r.path("difference_percent").asDouble());
            est += r.path("estimated_usd").asDouble();
            act += r.path("actual_usd").asDouble();
        }
        out.printf("| **total** | | | | %.2f | %.2f | %+.1f%% |%n%n", est, act, (act - est) / est * 100);

        long usable = status.path("usable_conversations").asLong();
        long stored = status.path("conversations").asLong();
        double spend = status.path("spend_usd").asDouble();
        out.println("| measure | result |");
        out.println("|---|---|");
        out.printf("| conversations stored / usable (not rejected, no error flag) | %d / %d |%n", stored, usable);
        out.printf("| total spend (ledger) | $%.2f |%n", spend);
        out.printf("| **cost per usable conversation** | **$%.4f** (seed document: $0.0285, \"about $0.03\") |%n", spend / usable);
        out.printf("| cache hit rate (prompt tokens read from cache) | %.0f%% |%n", status.path("cache_hit_rate").asDouble() * 100);
        out.printf("| saved by caching (vs the same calls without it) | $%.2f (would have been $%.2f) |%n",
                status.path("cache_savings_usd").asDouble(), status.path("cost_without_caching_usd").asDouble());
        out.printf("| tokens: input / cache read / cache write / output | %,d / %,d / %,d / %,d |%n",
                status.path("tokens").path("input_tokens").asLong(), status.path("tokens").path("cache_read_tokens").asLong(),
                status.path("tokens").path("cache_write_tokens").asLong(), status.path("tokens").path("output_tokens").asLong());
    }

    /** The reviewer's step, automated: every usable seed conversation is approved and marked as a seed example. */
    private static int approveUsableSeeds(Path dir) {
        List<StoredConversation> seeds = new ArrayList<>();
        try (Project proj = Project.open(dir)) {
            proj.db().conversations().streamAll(ConversationFilter.all().inPhase("seed").usable(), seeds::add);
            for (StoredConversation c : seeds) {
                proj.db().reviews().setStatus(c.conversation().id(), ReviewStatus.APPROVED, "benchmark");
                proj.db().reviews().toggleSeed(c.conversation().id(), "benchmark");
            }
        }
        return seeds.size();
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        if (code != 0) throw new IllegalStateException("brun " + String.join(" ", args) + " exited " + code + ": " + err);
        System.err.println("$ brun " + String.join(" ", args));
        return out.toString();
    }

    private static JsonNode json(String... args) {
        return JSON.readTree(run(args));
    }
}

package dev.brun.cli;

import dev.brun.plan.ModelPrice;
import dev.brun.plan.PriceTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * On demand, not part of ./test: the caching layout of issue 14 measured on the demo's 300-unit seed plan
 * (built-in pack, Sonnet 4.5), the estimator's figure before anything runs against a simulated run's ledger.
 * The input side (uncached input, cache reads, cache writes) is what the layout changes; output is the same
 * either way and is left out. Run with
 * {@code mvn -o -q test -Dtest=CachingLayoutBenchmark -Dbrun.benchmark=true}; the table goes to BENCHMARKS.md
 * ("Caching layout").
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "brun.benchmark", matches = "true")
class CachingLayoutBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path dir;

    @Test
    void demoSeedPlanSynchronous() {
        measure(false);
    }

    @Test
    void demoSeedPlanThroughMessageBatches() {
        measure(true);
    }

    private void measure(boolean batch) {
        String p = dir.resolve("project").toString();
        run("init", p, "--pack", "financial-planning");
        run("plan", "--project", p);
        JsonNode line = json("estimate", "--project", p, "--json").path("lines").path(0);
        String model = line.path("model").asString();
        ModelPrice price = PriceTable.defaults().price(model);
        if (batch) run("generate", "--project", p, "--provider", "simulated", "--batch");
        else run("generate", "--project", p, "--provider", "simulated");
        JsonNode status = json("status", "--project", p, "--json");
        JsonNode tokens = status.path("tokens");
        long units = line.path("units").asLong();
        long estRead = line.path("cache_read_tokens").asLong(), estWrite = line.path("cache_write_tokens").asLong();
        long estInput = line.path("prompt_tokens").asLong() - estRead - estWrite;
        double estOutputUsd = line.path("output_tokens").asLong() * price.outputPerMillion() / 1e6 * (batch ? PriceTable.BATCH : 1);
        double estInputUsd = (batch ? line.path("cost_cached_batch") : line.path("cost_cached")).asDouble() - estOutputUsd;
        long input = tokens.path("input_tokens").asLong(), read = tokens.path("cache_read_tokens").asLong();
        long write = tokens.path("cache_write_tokens").asLong(), output = tokens.path("output_tokens").asLong();
        double simOutputUsd = output * price.outputPerMillion() / 1e6 * (batch ? PriceTable.BATCH : 1);
        double simInputUsd = status.path("spend_usd").asDouble() - simOutputUsd;
        long calls = tokens.path("calls").asLong(units);
        PrintWriter out = new PrintWriter(System.out, true);
        out.printf("%n%s, %s, %d units, %d calls; cache ttl %s%n", batch ? "Message Batches" : "synchronous", model, units, calls,
                batch ? line.path("batch_cache_ttl").asString() : line.path("cache_ttl").asString());
        out.println("| | uncached input | cache read | cache write | input $ per call | input $ per plan |");
        out.println("|---|---:|---:|---:|---:|---:|");
        out.printf("| estimator, per call | %,d | %,d | %,d | %.5f | %.3f |%n", estInput / units, estRead / units, estWrite / units,
                estInputUsd / units, estInputUsd);
        out.printf("| simulated run, per call | %,d | %,d | %,d | %.5f | %.3f |%n", input / calls, read / calls, write / calls,
                simInputUsd / calls, simInputUsd);
        out.printf("estimator vs simulated input $: %+.1f%%; note: %s%n", (estInputUsd - simInputUsd) / simInputUsd * 100, line.path("note").asString());
        out.println("status: " + status);
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        if (code != 0) throw new IllegalStateException("brun " + String.join(" ", args) + " exited " + code + ": " + err);
        return out.toString();
    }

    private static JsonNode json(String... args) {
        return JSON.readTree(run(args));
    }
}

package dev.brun.cli;

import dev.brun.pack.PackFixture;
import dev.brun.project.Project;
import dev.brun.store.ConversationFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The command line as a user meets it (issue 3's done-when and issue 4's commands), run in-process. */
class CliWorkflowTest {
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    @TempDir Path tmp;

    private static CliRun ok(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as("brun %s%nstderr: %s", String.join(" ", args), run.err()).isZero();
        return run;
    }

    private static JsonNode json(CliRun run) {
        return JSON.readTree(run.out());
    }

    private String project() {
        String p = tmp.resolve("p").toString();
        ok("init", p);
        return p;
    }

    private static long ledgerLines(String p) {
        try (Project project = Project.open(Path.of(p))) {
            return project.db().ledger().totals().calls();
        }
    }

    private static long conversations(String p) {
        try (Project project = Project.open(Path.of(p))) {
            return project.db().conversations().count(ConversationFilter.all());
        }
    }

    @Test
    void initPlanEstimateShowsThreeHundredSeedUnitsAndACost() {
        String p = project();
        CliRun plan = ok("plan", "--project", p);
        assertThat(plan.out()).contains("300");
        CliRun run = ok("estimate", "--project", p, "--json");

        assertThat(run.err()).as("nothing but the document").isEmpty();
        JsonNode estimate = JSON.readTree(run.out()); // one document: trailing content fails the parse
        assertThat(estimate.isObject()).isTrue();
        JsonNode totals = estimate.get("totals");
        assertThat(totals.get("units").asInt()).isEqualTo(300);
        assertThat(totals.get("prompt_tokens").asLong()).isPositive();
        assertThat(totals.get("output_tokens").asLong()).isPositive();
        double plain = totals.get("cost_plain").asDouble();
        assertThat(plain).isPositive();
        assertThat(totals.get("cost_cached").asDouble()).as("prompt caching is cheaper").isPositive().isLessThan(plain);
        assertThat(totals.get("cost_batch").asDouble()).as("the Batches discount halves it").isCloseTo(plain / 2, within(1e-9));
        // batches ask for the one-hour cache (writes at 2x input instead of 1.25x): a little over half the cached cost
        assertThat(totals.get("cost_cached_batch").asDouble()).isGreaterThan(totals.get("cost_cached").asDouble() / 2)
                .isLessThan(totals.get("cost_batch").asDouble());
        assertThat(estimate.get("lines")).hasSize(1);
        JsonNode seed = estimate.get("lines").get(0);
        assertThat(seed.get("phase").asString()).isEqualTo("seed");
        assertThat(seed.get("model").asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(seed.get("units").asInt()).isEqualTo(300);
        assertThat(seed.get("cache_ttl").asString()).as("fast synchronous calls keep a 5-minute entry warm").isEqualTo("5m");
        assertThat(seed.get("batch_cache_ttl").asString()).as("batch requests run in no set order").isEqualTo("1h");
        JsonNode reference = estimate.get("reference");
        assertThat(reference.get("input_tokens").asLong()).isEqualTo(2000);
        assertThat(reference.get("output_tokens").asLong()).isEqualTo(1500);
        assertThat(reference.get("per_conversation").asDouble()).as("2,000 x $3/M + 1,500 x $15/M").isCloseTo(0.0285, within(1e-12));

        CliRun human = ok("estimate", "--project", p);
        assertThat(human.out()).contains("Reference (seed document): 2,000 input + 1,500 output tokens").contains("about $0.03")
                .contains("cache ttl").contains("5m / 1h");
    }

    @Test
    void planAgainAddsNothing() {
        String p = project();
        JsonNode first = json(ok("plan", "--project", p, "--json"));
        JsonNode second = json(ok("plan", "--project", p, "--json"));
        assertThat(first.get("added").asInt()).isEqualTo(300);
        assertThat(second.get("added").asInt()).isZero();
        assertThat(second.get("already_planned").asInt()).isEqualTo(300);
        JsonNode status = json(ok("status", "--project", p, "--json"));
        assertThat(status.get("units").get("seed").get("pending").asLong()).isEqualTo(300);
    }

    @Test
    void initRefusesAnExistingProject() throws IOException {
        String p = project();
        String config = Files.readString(Path.of(p, "brun.yaml"));
        CliRun again = CliRun.of("init", p, "--pack", "financial-planning");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already holds a brun project").doesNotContain("Exception");
        assertThat(Files.readString(Path.of(p, "brun.yaml"))).isEqualTo(config);
    }

    /** A copy of the default pack with the ten kinds of mistake of issue 3, one each. */
    private PackFixture packWithTenPlantedMistakes() {
        return PackFixture.copyOfDefault(tmp.resolve("src"))
                .edit("consultant.yaml", "credentials: CFP", "credential: CFP")                            // unknown key
                .edit("personas/overwhelmed_avoider.yaml", "occupation: senior software engineer at a mid-size software company\n", "") // missing field
                .edit("personas/anxious_planner.yaml", "age: 42", "age: forty-two")                   // wrong type
                .edit("personas/pragmatic_optimist.yaml", "gender: male\n", "gender: male\ngender: male\n")     // duplicate key
                .edit("arcs/confusion_to_clarity.yaml", "strategy: >-\n  Make the confusion feel normal first, then teach: one idea at a time, in everyday words, checking\n  understanding before adding the next piece.\n", "strategy: \"\"\n") // empty string
                .edit("arcs/shame_to_acceptance.yaml", "intensity: 0.8", "intensity: 1.8")              // out of range
                .edit("rules.yaml", "exclude: []", """
                        exclude:
                          - {persona: overwhelmed_avoidr, reason: unknown persona}
                          - {arc: grief_to_heal, reason: unknown arc}
                          - {topic: tax_loss_harvest, reason: unknown topic}
                          - {persona: pragmatic_optimist, reason: leaves David no combination}
                        """);
    }

    @Test
    void packValidateGivesTenPreciseMessagesForTenPlantedMistakesAndExitsTwo() throws IOException {
        PackFixture pack = packWithTenPlantedMistakes();
        Path root = pack.dir().getParent();
        Map<String, String> before = snapshot(root);

        CliRun human = CliRun.of("pack", "validate", pack.dir().toString());
        CliRun json = CliRun.of("pack", "validate", "--json", pack.dir().toString());

        assertThat(human.exitCode()).isEqualTo(2);
        assertThat(human.out()).isEmpty();
        List<String> messages = human.err().lines().filter(l -> l.startsWith(pack.dir().toString())).toList();
        assertThat(messages).as(human.err()).hasSize(10)
                .allSatisfy(l -> assertThat(l).matches(Pattern.quote(pack.dir().toString()) + "/[a-z_/]+\\.yaml:\\d+:\\d+: [a-z_.\\[\\]0-9]+: .+"));
        assertThat(human.err()).contains("10 problems");

        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json.err()).isEmpty();
        Set<String> located = new HashSet<>();
        for (JsonNode p : json(json).get("problems"))
            located.add(p.get("file").asString() + ":" + p.get("line").asInt() + ":" + p.get("column").asInt() + ": " + p.get("field").asString());
        assertThat(located).containsExactlyInAnyOrder(
                at(pack, "consultant.yaml", "credential:", 0, "credential"),
                at(pack, "personas/overwhelmed_avoider.yaml", "key: overwhelmed_avoider", 0, "occupation"),
                at(pack, "personas/anxious_planner.yaml", "forty-two", 0, "age"),
                at(pack, "personas/pragmatic_optimist.yaml", "gender: male\ngender", 13, "gender"),
                at(pack, "arcs/confusion_to_clarity.yaml", "\"\"", 0, "strategy"),
                at(pack, "arcs/shame_to_acceptance.yaml", "1.8", 0, "start.intensity"),
                at(pack, "rules.yaml", "overwhelmed_avoidr", 0, "exclude[1].persona"),
                at(pack, "rules.yaml", "grief_to_heal", 0, "exclude[2].arc"),
                at(pack, "rules.yaml", "tax_loss_harvest", 0, "exclude[3].topic"),
                at(pack, "rules.yaml", "100", 0, "minimums.per_persona"));
        assertThat(human.err()).contains("did you mean 'credentials'").contains("did you mean 'overwhelmed_avoider'")
                .contains("did you mean 'grief_to_healing'").contains("did you mean 'tax_loss_harvesting'");
        assertThat(snapshot(root)).as("validation writes nothing").isEqualTo(before);
    }

    private static String at(PackFixture pack, String file, String text, int offset, String field) {
        var where = pack.position(file, text, offset);
        return file + ":" + where.line() + ":" + where.column() + ": " + field;
    }

    @Test
    void initWithAPackOfTenPlantedMistakesExitsTwoListsThemAllAndWritesNothing() throws IOException {
        PackFixture pack = packWithTenPlantedMistakes();
        Path fresh = tmp.resolve("fresh");
        Path existingEmpty = Files.createDirectories(tmp.resolve("empty"));

        CliRun run = CliRun.of("init", fresh.toString(), "--pack", pack.dir().toString());
        CliRun intoEmpty = CliRun.of("init", existingEmpty.toString(), "--pack", pack.dir().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        List<String> located = run.err().lines().filter(l -> l.matches(".*\\.yaml:\\d+:\\d+: .*")).toList();
        assertThat(located).as(run.err()).hasSize(10);
        assertThat(fresh).as("no project folder is created").doesNotExist();
        assertThat(intoEmpty.exitCode()).isEqualTo(2);
        try (Stream<Path> left = Files.list(existingEmpty)) {
            assertThat(left).as("an existing folder is left as it was").isEmpty();
        }
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) files.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
        }
        return files;
    }

    @Test
    void versionAndHelpExitZeroOnEveryCommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).extracting(l -> String.join(" ", l))
                .contains("", "init", "plan", "estimate", "generate", "status", "demo", "pack validate");
        for (List<String> path : paths) {
            List<String> help = new ArrayList<>(path);
            help.add("--help");
            CliRun h = CliRun.of(help.toArray(String[]::new));
            assertThat(h.exitCode()).as("brun %s", String.join(" ", help)).isZero();
            assertThat(h.out()).as("brun %s", String.join(" ", help)).contains("Usage: brun");
            assertThat(h.err()).isEmpty();
            List<String> version = new ArrayList<>(path);
            version.add("--version");
            CliRun v = CliRun.of(version.toArray(String[]::new));
            assertThat(v.exitCode()).as("brun %s", String.join(" ", version)).isZero();
            assertThat(v.out()).startsWith("brun ");
        }
    }

    /** Every command path under cli that has the standard help options (picocli's own 'help' command has not). */
    private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
        if (cli.getCommandSpec().mixinStandardHelpOptions()) out.add(List.copyOf(path));
        for (var e : cli.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().name().equals("help")) continue;
            List<String> sub = new ArrayList<>(path);
            sub.add(e.getKey());
            collect(e.getValue(), sub, out);
        }
    }

    @Test
    void badOptionValuesExitTwoAndChangeNothing() {
        String p = project();
        ok("plan", "--project", p);
        String[][] bad = {
                {"plan", "--project", p, "--phase", "nope"},
                {"plan", "--project", p, "--only", "persona=nobody"},
                {"plan", "--project", p, "--only", "colour=blue"},
                {"plan", "--project", p, "--variations", "0"},
                {"estimate", "--project", p, "--phase", "nope"},
                {"generate", "--project", p, "--concurrency", "x"},
                {"generate", "--project", p, "--concurrency", "0"},
                {"generate", "--project", p, "--phase", "nope"},
                {"generate", "--project", p, "--provider", "nobody"},
                {"generate", "--project", p, "--limit", "0"},
                {"generate", "--project", p, "--budget", "-1"},
                {"generate", "--project", p, "--limit", "many"},
                {"generate", "--project", p, "--model", "a-model-without-a-price"},
                {"status", "--project", tmp.resolve("nowhere").toString()},
                {"plan", "--project", p, "--no-such-option"},
                {"no-such-command"},
        };
        for (String[] args : bad) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as("brun %s%n%s", String.join(" ", args), run.err()).isEqualTo(2);
            assertThat(run.err()).as("brun %s", String.join(" ", args)).startsWith("error: ").doesNotContain("Exception");
            assertThat(run.out()).isEmpty();
        }
        JsonNode status = json(ok("status", "--project", p, "--json"));
        assertThat(status.get("units").get("seed").get("pending").asLong()).isEqualTo(300);
        assertThat(status.get("units").size()).isEqualTo(1);
        assertThat(ledgerLines(p)).isZero();
    }

    @Test
    void generateWhereSomeUnitsFailExitsOneWithTheSummary() throws IOException {
        String p = project();
        ok("plan", "--project", p, "--only", "persona=pragmatic_optimist,arc=grief_to_healing,topic=negotiating_compensation");
        ok("plan", "--project", p, "--only", "persona=pragmatic_optimist,arc=grief_to_healing,topic=vacation_vs_debt_payoff");
        Path topics = Path.of(p, "pack", "topics.yaml");
        Files.writeString(topics, Files.readString(topics).replace("- key: negotiating_compensation", "- key: asking_for_a_raise"));

        CliRun run = CliRun.of("generate", "--project", p);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("1 unit(s) failed (pack_changed: 1)").contains("brun generate --retry-failed");
        assertThat(conversations(p)).isEqualTo(1);
    }

    @Test
    void generateWhereEveryUnitFailsExitsOneAndSaysWhereToLook() throws IOException {
        String p = project();
        ok("plan", "--project", p, "--only", "persona=pragmatic_optimist,arc=grief_to_healing,topic=negotiating_compensation");
        // The topic is renamed in the project's pack after planning, so the planned unit no longer matches it.
        Path topics = Path.of(p, "pack", "topics.yaml");
        Files.writeString(topics, Files.readString(topics).replace("- key: negotiating_compensation", "- key: asking_for_a_raise"));

        CliRun run = CliRun.of("generate", "--project", p);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("error: every unit failed; see 'brun status'").doesNotContain("Exception");
        JsonNode status = json(ok("status", "--project", p, "--json"));
        assertThat(status.get("failures_by_reason").toString()).contains("pack_changed");
        assertThat(ledgerLines(p)).as("nothing was called").isZero();
    }

    @Test
    void statusJsonCountsMatchWhatGenerateDid() {
        String p = project();
        ok("plan", "--project", p);
        JsonNode gen = json(ok("generate", "--project", p, "--limit", "7", "--json"));
        assertThat(gen.get("done").asInt()).isEqualTo(7);
        assertThat(gen.get("provider").asString()).isEqualTo("simulated");

        JsonNode status = json(ok("status", "--project", p, "--json"));

        JsonNode seed = status.get("units").get("seed");
        assertThat(seed.get("done").asLong()).isEqualTo(7);
        assertThat(seed.get("pending").asLong()).isEqualTo(293);
        assertThat(seed.has("leased")).isFalse();
        assertThat(status.get("conversations").asLong()).isEqualTo(7);
        assertThat(status.get("tokens").get("calls").asLong()).isEqualTo(7);
        assertThat(status.get("spend_usd").asDouble()).isPositive()
                .isEqualTo(gen.get("project_spend_usd").asDouble())
                .isEqualTo(status.get("spend_by_phase").get("seed").asDouble());
        assertThat(status.get("failures_by_reason")).isEmpty();
        assertThat(conversations(p)).isEqualTo(7);
    }

    @Test
    void generateDryRunCallsNothing() {
        String p = project();
        ok("plan", "--project", p);
        JsonNode dry = json(ok("generate", "--project", p, "--dry-run", "--limit", "40", "--json"));
        assertThat(dry.get("dry_run").asBoolean()).isTrue();
        assertThat(dry.get("would_generate").asInt()).isEqualTo(40);
        assertThat(dry.get("totals").get("cost_plain").asDouble()).isPositive();
        CliRun human = ok("generate", "--project", p, "--dry-run");
        assertThat(human.out()).contains("Dry run: would generate 300 unit(s)").contains("nothing is called");
        assertThat(ledgerLines(p)).isZero();
        assertThat(conversations(p)).isZero();
        JsonNode status = json(ok("status", "--project", p, "--json"));
        assertThat(status.get("units").get("seed").get("pending").asLong()).isEqualTo(300);
    }

    @Test
    void generateWithASmallBudgetStopsUnderItAndSaysWhy() {
        String p = project();
        ok("plan", "--project", p);
        CliRun run = CliRun.of("generate", "--project", p, "--budget", "0.30", "--concurrency", "8", "--json");
        assertThat(run.exitCode()).as("stopped early with work left").isEqualTo(ExitCodes.STOPPED_EARLY);
        assertThat(run.err()).contains("stopped early with work left: budget").contains("continue with 'brun generate'");
        JsonNode doc = json(run);
        assertThat(doc.get("stop_reason").asString()).startsWith("budget");
        assertThat(doc.get("project_spend_usd").asDouble()).isPositive().isLessThanOrEqualTo(0.30);
        int done = doc.get("done").asInt();
        assertThat(done).isPositive();
        JsonNode seed = json(ok("status", "--project", p, "--json")).get("units").get("seed");
        assertThat(seed.get("pending").asLong()).isEqualTo(300 - done);
        assertThat(seed.has("leased")).isFalse();
        CliRun human = CliRun.of("generate", "--project", p, "--budget", "0.30");
        assertThat(human.exitCode()).isEqualTo(ExitCodes.STOPPED_EARLY);
        assertThat(human.out()).contains("Stopped early: budget");
        assertThat(ledgerLines(p)).isEqualTo(done);
    }

    @Test
    void secondGenerateAfterCompletionAddsNoLedgerLines() {
        String p = project();
        ok("plan", "--project", p, "--only", "persona=pragmatic_optimist,arc=grief_to_healing");
        JsonNode first = json(ok("generate", "--project", p, "--json"));
        assertThat(first.get("done").asInt()).isEqualTo(20);
        long lines = ledgerLines(p);
        assertThat(lines).isEqualTo(20);
        JsonNode second = json(ok("generate", "--project", p, "--json"));
        assertThat(second.get("planned").asInt()).isZero();
        assertThat(second.get("spent_usd").asDouble()).isZero();
        assertThat(ledgerLines(p)).isEqualTo(lines);
        assertThat(conversations(p)).isEqualTo(20);
    }

    @Test
    void demoGeneratesThreeHundredSimulatedConversations() {
        Path dir = tmp.resolve("demo");
        long start = System.nanoTime();
        CliRun run = ok("demo", "--dir", dir.toString());
        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        assertThat(seconds).as("the demo finishes in under a minute").isLessThan(60);
        assertThat(run.out()).contains("$ brun generate").contains("Demo finished");
        try (Project project = Project.open(dir)) {
            assertThat(project.db().conversations().count(ConversationFilter.all())).isEqualTo(300);
            assertThat(project.db().units().pending(null)).isEmpty();
            List<String> providers = project.db().jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT provider FROM conversations")
                    .mapTo(String.class).list());
            assertThat(providers).as("everything the demo makes is marked simulated").containsExactly("simulated");
            // variations of the simulator differ as real samples would: none is a near-copy of another
            int nearCopies = project.db().jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM quality_flags WHERE code = 'near_duplicate'").mapTo(Integer.class).one());
            assertThat(nearCopies).isZero();
        }
        assertThat(run.out()).contains("$ brun check").contains("$ brun report").contains("$ brun export");
        assertThat(dir.resolve("report.html")).isRegularFile();
        assertThat(dir.resolve("exports/demo/manifest.json")).isRegularFile();
        assertThat(dir.resolve("exports/demo/training-v4.json")).isRegularFile();
    }
}

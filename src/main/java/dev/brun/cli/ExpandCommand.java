package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.conversation.Conversation;
import dev.brun.pack.Phase;
import dev.brun.plan.Combination;
import dev.brun.plan.Estimate;
import dev.brun.plan.ExpansionPlanner;
import dev.brun.plan.ModelPrice;
import dev.brun.plan.PlannedUnit;
import dev.brun.plan.QualityTier;
import dev.brun.plan.TargetPlanner;
import dev.brun.plan.TierShares;
import dev.brun.project.Project;
import dev.brun.project.ProjectConfigWriter;
import dev.brun.run.GenerationRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** brun expand: plan the expansion phase from approved seed conversations, with seeds as cached examples. */
@Command(name = "expand", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Plan variations of the approved seed conversations for the expansion phase.",
                "N variations of every combination with an approved seed (of all with --all), generated with approved seeds "
                        + "(same persona or arc first) as examples in the cached part of the prompt. "
                        + "Then run: brun generate --phase expansion [--batch]."})
public final class ExpandCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Option(names = "--per-combination", paramLabel = "N|auto",
            description = {"Variations per combination (default: the pack's expansion default).",
                    "auto: share the target's expansion variations (plan --target) out by each combination's quality tier after review: "
                            + "strong seeds get more, weak fewer, rejected ones none until a new seed is approved."})
    String perCombination;

    @Option(names = "--model", paramLabel = "M",
            description = "Model for the expansion phase, saved in brun.yaml (default: brun.yaml / the pack, e.g. claude-haiku-4-5).")
    String model;

    @Option(names = "--all", description = "Expand every combination, not only those with an approved seed.")
    boolean all;

    @Option(names = "--examples", paramLabel = "K",
            description = "Approved seed conversations per prompt (default: the fewest that make the prompt prefix long enough to be cached, at most "
                    + ExpansionPlanner.MAX_EXAMPLES + ").")
    Integer examples;

    @Option(names = "--dry-run", description = "Show the plan and its estimate; add nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Project proj = project.open()) {
            boolean auto = perCombination != null && perCombination.trim().equalsIgnoreCase("auto");
            if (auto && all) throw new BadInputException("--all expands every combination evenly; --per-combination auto lets the tiers decide: use one");
            int n = auto ? 0 : perCombination != null ? parsePerCombination(perCombination) : proj.pack().rules().defaults(Phase.EXPANSION).variations();
            if (examples != null && (examples < 0 || examples > 50)) throw new BadInputException("--examples must be between 0 and 50, got " + examples);
            String expansionModel = model != null ? model : proj.model(Phase.EXPANSION);
            ModelPrice price = proj.prices().price(expansionModel);
            List<Conversation> seeds = GenerationRuns.approvedSeeds(proj.db());
            if (seeds.isEmpty() && !all)
                throw new BadInputException("no approved seed conversations yet: approve conversations and mark them as seed examples"
                        + " in the review page (brun serve), or import them with brun import --as-seeds, or pass --all to expand every combination without examples");
            ExpansionPlanner planner = new ExpansionPlanner(proj.pack());
            TierShares.Result shares = auto ? TierShares.share(planner.tiers(proj.db()), autoTotal(proj, planner)) : null;
            List<Combination> combos = auto
                    ? shares.shares().stream().filter(s -> s.variations() > 0).map(TierShares.Share::combination).toList()
                    : planner.combinations(seeds, all);
            if (combos.isEmpty() && !all)
                throw new BadInputException("none of the " + seeds.size() + " approved seed conversation(s) belongs to a persona x arc x topic"
                        + " combination of pack " + proj.pack().name() + " (seed files name no arc or topic unless imported with"
                        + " --persona/--arc/--topic): mark generated conversations as seeds in brun serve, or pass --all");
            ExpansionPlanner.ExampleFit fit = examples != null
                    ? planner.fit(seeds, combos, Math.min(examples, seeds.size()), price.minCacheablePrefixTokens())
                    : planner.autoFit(seeds, combos, price.minCacheablePrefixTokens());
            List<PlannedUnit> units = auto ? planner.units(shares) : planner.units(combos, n);
            int added = 0;
            if (!dryRun) {
                added = proj.db().units().insertIfAbsent(units.stream().map(PlanCommand::toStore).toList());
                proj.db().meta().put(GenerationRuns.EXAMPLES_KEY, Integer.toString(fit.examplesPerPrompt()));
                if (model != null && !model.equals(proj.model(Phase.EXPANSION))) saveModel(proj, model);
            }
            Map<Phase, String> models = new EnumMap<>(Phase.class);
            for (Phase p : Phase.values()) models.put(p, p == Phase.EXPANSION ? expansionModel : proj.model(p));
            List<PlannedUnit> toEstimate = dryRun ? units : pendingExpansion(proj);
            Estimate estimate = GenerationRuns.estimator(proj,
                    GenerationRuns.builders(proj.db(), proj.pack(), fit.examplesPerPrompt())).estimate(toEstimate, models);
            print(out, proj, n, seeds.size(), combos.size(), units.size(), added, expansionModel, fit, estimate, shares);
        }
        return 0;
    }

    private static int parsePerCombination(String s) {
        int n;
        try {
            n = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("--per-combination must be a number or auto, got '" + s + "'");
        }
        if (n < 1 || n > 1000) throw new BadInputException("--per-combination must be between 1 and 1000, got " + n);
        return n;
    }

    /** The variations auto shares out: the target's (plan --target), else the pack's default for every combination with a seed. */
    private static int autoTotal(Project proj, ExpansionPlanner planner) {
        return proj.db().meta().get(TargetPlanner.EXPANSION_UNITS_KEY).map(Integer::parseInt).orElseGet(() ->
                (int) planner.tiers(proj.db()).values().stream().filter(t -> t != QualityTier.UNSEEDED).count()
                        * proj.pack().rules().defaults(Phase.EXPANSION).variations());
    }

    private static List<PlannedUnit> pendingExpansion(Project proj) {
        return proj.db().units().pending(Phase.EXPANSION.wire()).stream().map(u -> new PlannedUnit(u.key(), u.packHash(),
                Phase.EXPANSION, u.personaKey(), u.arcKey(), u.topicKey(), u.variationIndex())).toList();
    }

    private static void saveModel(Project proj, String model) {
        ProjectConfigWriter.write(proj.layout().root(), proj.config().withModel(Phase.EXPANSION, model));
    }

    private void print(PrintWriter out, Project proj, int n, int seeds, int combos, int units, int added, String expansionModel,
                       ExpansionPlanner.ExampleFit fit, Estimate estimate, TierShares.Result shares) {
        String caching = fit.reaches()
                ? "every prompt prefix is at least " + fit.smallestPrefixTokens() + " tokens: caching applies (minimum " + fit.minimumTokens() + " for " + expansionModel + ")"
                : "the shortest prompt prefix is " + fit.smallestPrefixTokens() + " tokens, below the " + fit.minimumTokens()
                + "-token minimum for " + expansionModel + ": caching will not apply to those prompts"
                + (seeds > fit.examplesPerPrompt() ? " (try --examples " + (fit.examplesPerPrompt() + 1) + " or more)" : " (approve more seeds)");
        if (json.enabled()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("phase", Phase.EXPANSION.wire());
            doc.put("model", expansionModel);
            doc.put("approved_seeds", seeds);
            doc.put("combinations", combos);
            doc.put("per_combination", n);
            doc.put("units_in_plan", units);
            doc.put("added", added);
            doc.put("dry_run", dryRun);
            doc.put("examples_per_prompt", fit.examplesPerPrompt());
            doc.put("smallest_prefix_tokens", fit.smallestPrefixTokens());
            doc.put("min_cacheable_prefix_tokens", fit.minimumTokens());
            doc.put("cache_applies", fit.reaches());
            doc.put("estimate", EstimateCommand.toJson(estimate, proj));
            if (shares != null) {
                doc.put("per_combination", "auto");
                doc.put("variations_shared", shares.shared());
                doc.put("variations_unshared", shares.unshared());
                doc.put("tier_counts", tierCounts(shares));
                doc.put("changed", shares.shares().stream().filter(TierShares.Share::changed).map(s -> Map.of(
                        "combination", s.combination().key(), "tier", s.tier().wire(), "variations", s.variations(),
                        "even_share", s.evenShare())).toList());
            }
            Json.print(out, doc);
            return;
        }
        if (shares != null) printTiers(out, shares);
        out.printf("Expansion on %s: %d approved seed(s); %d combination(s) x %s variation(s) = %d units; %s.%n",
                expansionModel, seeds, combos, shares != null ? "tier-shared" : Integer.toString(n), units, dryRun ? "dry run, nothing added" : added + " added, " + (units - added) + " were already planned");
        out.printf("Examples per prompt: %d (approved seeds, same persona and arc first); %s.%n%n", fit.examplesPerPrompt(), caching);
        EstimateCommand.print(out, estimate);
        if (!dryRun) out.println("Next: " + Invocation.of(spec).command() + " generate --phase expansion --batch --project " + proj.layout().root());
    }

    private static Map<String, Long> tierCounts(TierShares.Result shares) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (QualityTier t : QualityTier.values())
            counts.put(t.wire(), shares.shares().stream().filter(s -> s.tier() == t).count());
        return counts;
    }

    /** The tier of every combination whose share differs from the even one, and what the tiers left for fill. */
    private static void printTiers(PrintWriter out, TierShares.Result shares) {
        out.println("Quality tiers (from the seeds' review decisions and scores): " + tierCounts(shares).entrySet().stream()
                .filter(e -> e.getValue() > 0).map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", ")) + ".");
        List<TierShares.Share> changed = shares.shares().stream().filter(TierShares.Share::changed).toList();
        if (!changed.isEmpty()) {
            Table t = new Table("combination", "tier", "variations", "even share");
            changed.forEach(s -> t.row(s.combination().key(), s.tier().wire(), s.variations(), s.evenShare()));
            t.print(out);
        }
        out.printf("%d of %d variations shared out by tier%s.%n%n", shares.shared(), shares.total(), shares.unshared() == 0 ? ""
                : "; " + shares.unshared() + " left for fill (rejected or unseeded combinations, and at most "
                + (int) TierShares.CAP_OVER_EVEN + "x the even share each)");
    }
}

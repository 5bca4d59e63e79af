package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.pack.Phase;
import dev.brun.plan.Estimate;
import dev.brun.plan.ExpectedCoverage;
import dev.brun.plan.OutputBudget;
import dev.brun.plan.PlannedUnit;
import dev.brun.plan.Strategy;
import dev.brun.plan.TargetPlanner;
import dev.brun.plan.TargetPlanner.CostedPlan;
import dev.brun.plan.TargetPlanner.TargetPlan;
import dev.brun.project.Project;
import dev.brun.project.ProjectConfigWriter;
import dev.brun.review.ReviewEffort;
import dev.brun.run.GenerationRuns;
import dev.brun.store.ConversationFilter;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** brun plan --target N: the plan for a target, each strategy's cost and review hours, the steps in order. */
final class TargetPlanView {
    private final CommandSpec spec;
    private final JsonMixin json;
    private final Invocation invocation;

    TargetPlanView(CommandSpec spec, JsonMixin json, Invocation invocation) {
        this.spec = spec;
        this.json = json;
        this.invocation = invocation;
    }

    int run(ProjectMixin project, int target, Strategy chosen, Double budget, boolean dryRun, String phase, Integer variations, String only) {
        if (target < 1 || target > 1_000_000) throw new BadInputException("--target must be between 1 and 1,000,000, got " + target);
        if (!"seed".equals(phase) || variations != null || only != null)
            throw new BadInputException("--target plans every phase itself: leave out --phase, --variations and --only");
        if (budget != null && budget <= 0) throw new BadInputException("--budget must be more than 0, got " + budget);
        PrintWriter out = spec.commandLine().getOut();
        try (Project proj = project.open()) {
            TargetPlanner planner = new TargetPlanner(proj.pack());
            TargetPlanner.UsableShare share = TargetPlanner.UsableShare.of(
                    proj.db().conversations().count(ConversationFilter.all().usable()), proj.db().conversations().count(ConversationFilter.all()));
            TargetPlan plan = planner.plan(target, share);
            var estimator = GenerationRuns.estimator(proj);
            List<CostedPlan> costed = new ArrayList<>();
            for (Strategy s : Strategy.values())
                costed.add(planner.cost(plan, s, s.models(proj::model), estimator, proj.prices()));
            Map<Strategy, ReviewEffort> review = new LinkedHashMap<>();
            for (CostedPlan c : costed) review.put(c.strategy(), review(proj, plan, c));
            double cap = budget != null ? budget : proj.budgetCap();
            double spent = proj.db().ledger().totalSpend();
            CostedPlan mine = costed.stream().filter(c -> c.strategy() == chosen).findFirst().orElseThrow();
            int added = 0;
            if (!dryRun) {
                added = proj.db().units().insertIfAbsent(plan.seeds().stream().map(PlanCommand::toStore).toList());
                proj.db().meta().put(TargetPlanner.TARGET_KEY, Integer.toString(target));
                proj.db().meta().put(TargetPlanner.STRATEGY_KEY, chosen.wire());
                proj.db().meta().put(TargetPlanner.EXPANSION_UNITS_KEY, Integer.toString(plan.expansion().size()));
                proj.db().meta().put(TargetPlanner.EDGE_UNITS_KEY, Integer.toString(plan.edge().size()));
                var config = proj.config();
                if (budget != null) config = config.withBudgetUsd(BigDecimal.valueOf(budget).setScale(2, RoundingMode.HALF_UP));
                String expansionModel = mine.models().get(Phase.EXPANSION);
                if (!expansionModel.equals(proj.model(Phase.EXPANSION))) config = config.withModel(Phase.EXPANSION, expansionModel);
                String edgeModel = mine.models().get(Phase.EDGE);
                if (!edgeModel.equals(proj.model(Phase.EDGE))) config = config.withModel(Phase.EDGE, edgeModel);
                if (!config.equals(proj.config())) ProjectConfigWriter.write(proj.layout().root(), config);
            }
            List<String> steps = steps(proj, plan, mine, review.get(chosen));
            if (json.enabled()) printJson(out, proj, plan, costed, review, chosen, cap, spent, mine, steps, added, dryRun);
            else print(out, proj, plan, costed, review, chosen, cap, spent, mine, steps, added, dryRun, budget != null);
        }
        return 0;
    }

    /** Strata by phase and model, each read to the default sampling plan. */
    private static ReviewEffort review(Project proj, TargetPlan plan, CostedPlan c) {
        List<ReviewEffort.Stratum> strata = new ArrayList<>();
        for (Phase p : Phase.values()) {
            List<PlannedUnit> units = unitsOf(plan, p);
            if (units.isEmpty()) continue;
            long words = Math.round(units.stream().mapToLong(u -> OutputBudget.expectedWords(proj.pack().arc(u.arcKey()).orElseThrow())).average().orElse(0));
            strata.add(ReviewEffort.stratum(p.wire() + "/" + c.models().get(p), units.size(), words));
        }
        return ReviewEffort.of(strata);
    }

    private static List<PlannedUnit> unitsOf(TargetPlan plan, Phase p) {
        return switch (p) {
            case SEED -> plan.seeds();
            case EXPANSION -> plan.expansion();
            case EDGE -> plan.edge();
        };
    }

    private List<String> steps(Project proj, TargetPlan plan, CostedPlan mine, ReviewEffort review) {
        String where = " --project " + proj.layout().root();
        String brun = invocation.command();
        List<String> steps = new ArrayList<>();
        if (plan.seeds().isEmpty()) return steps;
        steps.add(brun + " generate --sample 15" + where + "   a trial run over every persona x arc cell: read a few before spending more");
        steps.add(brun + " generate --phase seed" + where + "   the " + plan.seeds().size() + " seeds on " + mine.models().get(Phase.SEED)
                + ", one by one with caching");
        steps.add(brun + " serve" + where + "   review: read the seed sample (" + review.strata().getFirst().sampleSize()
                + "), approve the good ones and mark the best as seed examples (s)");
        if (!plan.expansion().isEmpty()) {
            steps.add(brun + " expand --per-combination auto" + where + "   shares the " + plan.expansion().size()
                    + " variations out by each combination's quality tier");
            steps.add(brun + " generate --phase expansion --batch" + where + "   through Message Batches at half price");
        }
        steps.add(brun + " fill" + where + "   edge units for what the minimums and the target still lack");
        steps.add(brun + " generate --phase edge --batch" + where);
        steps.add(brun + " serve" + where + "   review the expansion and edge samples; brun certifies the rest of each stratum");
        steps.add(brun + " export --format all" + where);
        return steps;
    }

    private void print(PrintWriter out, Project proj, TargetPlan plan, List<CostedPlan> costed, Map<Strategy, ReviewEffort> review,
                       Strategy chosen, double cap, double spent, CostedPlan mine, List<String> steps, int added, boolean dryRun, boolean budgetGiven) {
        out.printf("Target: %,d usable conversations. Expected: %s; so %,d conversations to generate.%n",
                plan.target(), plan.share().describe(), plan.conversationsNeeded());
        int combos = plan.seeds().size();
        out.printf("Plan: %,d seed units (every combination once), %,d expansion units (%s per combination), %,d edge units (%.0f%% kept for gaps).%n",
                combos, plan.expansion().size(), perCombination(plan), plan.edge().size(), TargetPlanner.EDGE_SHARE * 100);
        if (plan.seeds().size() > plan.conversationsNeeded())
            out.println("The seeds alone are more than the target needs: every combination once is the least a balanced set takes.");
        out.println();
        Table t = new Table("strategy", "models (seed / expansion / edge)", "plain $", "cached $", "batch $", "cached+batch $",
                "as run $", "budget needed $", "review h");
        for (CostedPlan c : costed) {
            Estimate.Totals s = c.estimate().totals();
            t.row(c.strategy().wire() + (c.strategy() == chosen ? " *" : ""), c.models().get(Phase.SEED) + " / " + c.models().get(Phase.EXPANSION)
                            + " / " + c.models().get(Phase.EDGE), EstimateCommand.money(s.costPlain()), EstimateCommand.money(s.costCached()),
                    EstimateCommand.money(s.costBatch()), EstimateCommand.money(s.costCachedBatch()), EstimateCommand.money(c.expectedUsd()),
                    EstimateCommand.money(c.budgetNeeded()), String.format("%.1f", review.get(c.strategy()).hours()));
        }
        t.print(out);
        out.println("  as run: seeds one by one with caching, expansion and edge cached through Message Batches (the steps below).");
        out.println("  budget needed: the cap that never stops the plan (a batch reserves every request's worst case, max_tokens of output, until it ends).");
        ReviewEffort r = review.get(chosen);
        out.printf("  review: %d of %,d conversations read (%s); about %,d words each.%n", r.sampled(), plan.all().size(),
                r.strata().stream().map(s -> s.name() + " " + s.sampleSize() + " of " + s.conversations()).collect(Collectors.joining(", ")),
                r.strata().getFirst().wordsPerConversation());
        out.println("  sampling: " + ReviewEffort.describeDefault() + ".");
        out.println();
        out.println(plan.meetsMinimums() ? "Coverage: every per-dimension minimum is met at the usable share:" : "Coverage: some minimums cannot be met (only excluded combinations hold them):");
        for (String dim : List.of("persona", "arc", "topic")) {
            List<ExpectedCoverage.Row> rows = plan.coverage().stream().filter(x -> x.dimension().equals(dim)).toList();
            if (rows.isEmpty()) continue;
            ExpectedCoverage.Row low = rows.stream().min(java.util.Comparator.comparingLong(ExpectedCoverage.Row::expectedUsable)).orElseThrow();
            out.printf("  per %s: minimum %d; the lowest, %s, expects %d usable of %d units%s%n", dim, low.minimum(), low.key(),
                    low.expectedUsable(), low.units(), low.met() ? "" : "  (SHORT)");
        }
        out.println();
        budgetLine(out, plan.target(), mine, cap, spent, budgetGiven);
        out.println();
        if (dryRun) out.println("Dry run: nothing planned, nothing changed. Without --dry-run this adds the seed units and records the target.");
        else out.printf("Added %d seed unit(s) (%d were already planned); target %,d and strategy %s recorded for expand and fill.%n",
                added, plan.seeds().size() - added, plan.target(), chosen.wire());
        out.println();
        out.println("Next steps (" + chosen.wire() + "):");
        for (int i = 0; i < steps.size(); i++) out.printf("  %d. %s%n", i + 1, steps.get(i));
    }

    private void budgetLine(PrintWriter out, int target, CostedPlan mine, double cap, double spent, boolean budgetGiven) {
        String which = budgetGiven ? "--budget" : "budget_usd in brun.yaml";
        if (Double.isInfinite(cap)) {
            out.printf("Budget: no cap set; this plan needs about $%.2f (a cap of $%.2f never stops it).%n", mine.expectedUsd(), mine.budgetNeeded());
            return;
        }
        TargetPlanner.Step stop = mine.stoppedBy(cap, spent);
        if (stop == null) {
            out.printf("Budget: %s $%.2f ($%.2f spent) covers the plan ($%.2f expected, $%.2f at the worst-case reservations).%n",
                    which, cap, spent, mine.expectedUsd(), mine.budgetNeeded());
            return;
        }
        out.printf("WARNING: %s $%.2f ($%.2f spent) would stop the plan part-way, at the %s step (%d units on %s%s).%n", which, cap, spent,
                stop.phase().wire(), stop.units(), stop.model(), stop.batch() ? String.format(", a batch that reserves $%.2f at its worst case", stop.worstCaseUsd()) : "");
        out.printf("  Raise it to at least $%.2f: %s plan --target %d --budget %.0f (or edit budget_usd in brun.yaml).%n",
                mine.budgetNeeded(), invocation.command(), target, Math.ceil(mine.budgetNeeded()));
    }

    private static String perCombination(TargetPlan plan) {
        Map<String, Long> per = plan.expansion().stream().collect(Collectors.groupingBy(PlannedUnit::combination, Collectors.counting()));
        if (per.isEmpty()) return "0";
        long min = plan.seeds().stream().mapToLong(u -> per.getOrDefault(u.combination(), 0L)).min().orElse(0);
        long max = per.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return min == max ? Long.toString(min) : min + "-" + max;
    }

    private void printJson(PrintWriter out, Project proj, TargetPlan plan, List<CostedPlan> costed, Map<Strategy, ReviewEffort> review,
                           Strategy chosen, double cap, double spent, CostedPlan mine, List<String> steps, int added, boolean dryRun) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("target", plan.target());
        doc.put("usable_share", plan.share());
        doc.put("conversations_needed", plan.conversationsNeeded());
        doc.put("units", Map.of("seed", plan.seeds().size(), "expansion", plan.expansion().size(), "edge", plan.edge().size()));
        doc.put("meets_minimums", plan.meetsMinimums());
        doc.put("coverage", plan.coverage());
        List<Map<String, Object>> strategies = new ArrayList<>();
        for (CostedPlan c : costed) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("strategy", c.strategy().wire());
            s.put("models", c.models().entrySet().stream().collect(Collectors.toMap(e -> e.getKey().wire(), Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
            s.put("estimate", EstimateCommand.toJson(c.estimate(), proj));
            s.put("steps", c.steps());
            s.put("expected_usd", c.expectedUsd());
            s.put("budget_needed_usd", c.budgetNeeded());
            s.put("review", review.get(c.strategy()));
            s.put("review_hours", review.get(c.strategy()).hours());
            strategies.add(s);
        }
        doc.put("strategies", strategies);
        doc.put("strategy", chosen.wire());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("cap_usd", Double.isInfinite(cap) ? null : cap);
        b.put("spent_usd", spent);
        TargetPlanner.Step stop = Double.isInfinite(cap) ? null : mine.stoppedBy(cap, spent);
        b.put("stops_at_phase", stop == null ? null : stop.phase().wire());
        doc.put("budget", b);
        doc.put("next_steps", steps);
        doc.put("dry_run", dryRun);
        doc.put("added", added);
        Json.print(out, doc);
    }
}

package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.pack.Phase;
import dev.brun.plan.Combination;
import dev.brun.plan.Coverage;
import dev.brun.plan.CoverageMatrix;
import dev.brun.plan.PlanFilter;
import dev.brun.plan.PlannedUnit;
import dev.brun.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** brun plan: add units for a phase over the coverage matrix (idempotently) and show coverage. */
@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Add units of work for a phase over the persona x arc x topic matrix and print coverage.",
                "Idempotent: running the same plan again adds nothing."})
public final class PlanCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Option(names = "--phase", paramLabel = "P", defaultValue = "seed",
            description = "seed, expansion or edge (default: ${DEFAULT-VALUE}); not with --target.")
    String phase;

    @Option(names = "--variations", paramLabel = "N",
            description = "Variations per combination (default: the pack's phase default).")
    Integer variations;

    @Option(names = "--only", paramLabel = "persona=K,arc=K,topic=K",
            description = "Plan only a slice of the matrix (any of persona, arc, topic).")
    String only;

    @Option(names = "--target", paramLabel = "N",
            description = {"Plan for N usable conversations: seeds (every combination once), expansion and edge units that meet every "
                    + "per-dimension minimum, each strategy's cost side by side, the review hours, and the next steps in order.",
                    "Adds the seed units; expand --per-combination auto and fill plan the rest after review."})
    Integer target;

    @Option(names = "--strategy", paramLabel = "cheapest|strong", defaultValue = "cheapest",
            description = "With --target: cheapest (expansion on the cheaper expansion model) or strong (every phase on the seed model; "
                    + "saved in brun.yaml). Default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(names = "--budget", paramLabel = "USD",
            description = "With --target: check the plan against this budget and save it as budget_usd in brun.yaml (default: brun.yaml's).")
    Double budget;

    @Option(names = "--dry-run", description = "With --target: show the plan and its costs; plan nothing, change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (target != null) return new TargetPlanView(spec, json, Invocation.of(spec))
                .run(project, target, parseStrategy(strategy), budget, dryRun, phase, variations, only);
        if (dryRun || budget != null || !strategy.equals("cheapest"))
            throw new BadInputException("--strategy, --budget and --dry-run go with --target N");
        Phase p = parsePhase(phase);
        PrintWriter out = spec.commandLine().getOut();
        try (Project proj = project.open()) {
            int n = variations != null ? variations : proj.pack().rules().defaults(p).variations();
            if (n < 1 || n > 1000) throw new BadInputException("--variations must be between 1 and 1000, got " + n);
            PlanFilter filter = PlanFilter.parse(only);
            filter.checkAgainst(proj.pack());
            CoverageMatrix matrix = new CoverageMatrix(proj.pack());
            List<Combination> combos = matrix.combinations(filter);
            List<PlannedUnit> units = matrix.units(p, combos, 0, n);
            int added = proj.db().units().insertIfAbsent(units.stream().map(PlanCommand::toStore).toList());
            Coverage coverage = Coverage.of(proj.pack(), proj.db());
            print(out, proj, p, n, combos.size(), units.size(), added, coverage);
        }
        return 0;
    }

    static dev.brun.plan.Strategy parseStrategy(String s) {
        try {
            return dev.brun.plan.Strategy.fromWire(s);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--strategy: " + e.getMessage());
        }
    }

    static Phase parsePhase(String s) {
        try {
            return Phase.fromWire(s);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--phase: " + e.getMessage());
        }
    }

    static dev.brun.store.PlannedUnit toStore(PlannedUnit u) {
        return new dev.brun.store.PlannedUnit(u.key(), u.packHash(), u.phase().wire(), u.personaKey(), u.arcKey(),
                u.topicKey(), u.variationIndex());
    }

    private void print(PrintWriter out, Project proj, Phase p, int variations, int combos, int units, int added, Coverage coverage) {
        if (json.enabled()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("phase", p.wire());
            doc.put("combinations", combos);
            doc.put("variations", variations);
            doc.put("units_in_plan", units);
            doc.put("added", added);
            doc.put("already_planned", units - added);
            doc.put("coverage", coverage.rows().stream().map(r -> Map.of("dimension", r.dimension(), "key", r.key(),
                    "planned", r.planned(), "usable", r.usable(), "minimum", r.minimum(),
                    "missing_from_plan", r.missingFromPlan())).toList());
            Json.print(out, doc);
            return;
        }
        out.printf("Phase %s: %d combinations x %d variation(s) = %d units; %d added, %d were already planned.%n%n",
                p.wire(), combos, variations, units, added, units - added);
        Table t = new Table("dimension", "key", "planned", "usable", "minimum", "missing");
        for (Coverage.Row r : coverage.rows())
            t.row(r.dimension(), r.key(), r.planned(), r.usable(), r.minimum(), r.missingFromPlan() == 0 ? "-" : r.missingFromPlan());
        t.print(out);
        long missing = coverage.missingFromPlan();
        out.println();
        out.println(missing == 0 ? "The plan reaches every minimum (if every unit succeeds)."
                : missing + " units short of the minimums in total: plan more variations (e.g. " + Invocation.of(spec).command() + " plan --phase expansion) or run '" + Invocation.of(spec).command() + " fill'.");
        out.println("Next: " + Invocation.of(spec).command() + " estimate --project " + proj.layout().root());
    }
}

package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.eval.EvalReport;
import dev.brun.eval.EvalSetup;
import dev.brun.pack.Phase;
import dev.brun.plan.Estimate;
import dev.brun.plan.GapFiller;
import dev.brun.plan.TargetPlanner;
import dev.brun.store.ConversationFilter;
import dev.brun.project.Project;
import dev.brun.run.GenerationRuns;
import dev.brun.store.EvalDao;
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

/** brun fill: plan edge units for exactly what the coverage minimums still lack, and estimate them. */
@Command(name = "fill", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Plan edge-phase units for exactly what the coverage minimums still lack.",
                "With a target (plan --target), also edge units until the usable conversations are expected to reach it. "
                        + "Counts usable conversations (not rejected, no error flag) and units still waiting to be generated, "
                        + "and prints the estimate before anything is spent. Then run: brun generate --phase edge [--batch].",
                "With --from-eval RUN: plan edge units for the cells where the evaluated adapter is weakest instead."})
public final class FillCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Option(names = "--dry-run", description = "Show what would be planned and its estimate; add nothing.")
    boolean dryRun;

    @Option(names = "--from-eval", paramLabel = "RUN",
            description = "Plan edge units for the cells (persona, arc, topic, stage) where eval run RUN found the adapter weakest, "
                    + "instead of for the coverage minimums.")
    String fromEval;

    @Option(names = "--per-cell", paramLabel = "N", defaultValue = "5", description = "With --from-eval: edge units per weak cell (default: 5).")
    int perCell;

    @Option(names = "--below", paramLabel = "SCORE",
            description = "With --from-eval: a cell is weak when its eval score (0-1) is below SCORE (default: the bottom share of each "
                    + "dimension, see --bottom, among cells more than 0.05 below the adapter's overall score).")
    Double below;

    @Option(names = "--bottom", paramLabel = "SHARE", defaultValue = "0.25",
            description = "With --from-eval and no --below: the share of each dimension's cells that may count as weak (default: 0.25).")
    double bottom;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (fromEval != null) return fromEval(out);
        try (Project proj = project.open()) {
            var target = proj.db().meta().get(TargetPlanner.TARGET_KEY).map(Integer::parseInt);
            TargetPlanner.UsableShare share = TargetPlanner.UsableShare.of(
                    proj.db().conversations().count(ConversationFilter.all().usable()), proj.db().conversations().count(ConversationFilter.all()));
            GapFiller.Fill fill = target.isPresent() ? new GapFiller(proj.pack()).plan(proj.db(), target.get(), share.value())
                    : new GapFiller(proj.pack()).plan(proj.db());
            int added = dryRun ? 0 : proj.db().units().insertIfAbsent(fill.units().stream().map(PlanCommand::toStore).toList());
            Map<Phase, String> models = new EnumMap<>(Phase.class);
            for (Phase p : Phase.values()) models.put(p, proj.model(p));
            Estimate estimate = GenerationRuns.estimator(proj).estimate(fill.units(), models);
            if (json.enabled()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("needs", fill.needs().stream().filter(n -> n.lacking() > 0).toList());
                doc.put("units", fill.units().size());
                doc.put("target", target.orElse(null));
                doc.put("for_target", fill.forTarget());
                doc.put("added", added);
                doc.put("dry_run", dryRun);
                doc.put("combinations", fill.units().stream().map(u -> u.combination()).distinct().count());
                doc.put("estimate", EstimateCommand.toJson(estimate, proj));
                Json.print(out, doc);
                return 0;
            }
            Table t = new Table("dimension", "key", "minimum", "usable", "waiting", "lacking");
            fill.needs().stream().filter(n -> n.lacking() > 0)
                    .forEach(n -> t.row(n.dimension(), n.key(), n.minimum(), n.usable(), n.open(), n.lacking()));
            if (t.isEmpty() && fill.units().isEmpty()) {
                out.println("Every coverage minimum is met by usable conversations and units waiting to be generated"
                        + (target.isPresent() ? ", and they reach the target of " + target.get() : "") + ": nothing to fill.");
                return 0;
            }
            if (!t.isEmpty()) t.print(out);
            if (fill.forTarget() > 0)
                out.printf("%nTarget %,d (plan --target): %d more edge unit(s) so that usable conversations reach it at %s.%n",
                        target.get(), fill.forTarget(), share.describe());
            out.printf("%nGap filling: %d edge unit(s) over %d combination(s) close every shortfall (each unit counts for its persona, arc and topic at once); %s.%n%n",
                    fill.units().size(), fill.units().stream().map(u -> u.combination()).distinct().count(),
                    dryRun ? "dry run, nothing added" : added + " added");
            EstimateCommand.print(out, estimate);
            if (!dryRun) out.println("Next: " + Invocation.of(spec).command() + " generate --phase edge [--batch] --project " + proj.layout().root());
        }
        return 0;
    }

    private int fromEval(PrintWriter out) {
        if (perCell < 1) throw new BadInputException("--per-cell must be at least 1, got " + perCell);
        if (!(bottom > 0 && bottom <= 1)) throw new BadInputException("--bottom must be in (0, 1], got " + bottom);
        try (Project proj = project.open()) {
            EvalReport report = EvalSetup.report(proj.db(), proj.pack(), new EvalDao(proj.db()), fromEval);
            List<GapFiller.WeakCell> weak = report.weakCells(below, bottom);
            GapFiller.CellFill fill = new GapFiller(proj.pack()).planForCells(weak, perCell, key -> proj.db().units().find(key).isPresent());
            int added = dryRun ? 0 : proj.db().units().insertIfAbsent(fill.units().stream().map(PlanCommand::toStore).toList());
            Map<Phase, String> models = new EnumMap<>(Phase.class);
            for (Phase p : Phase.values()) models.put(p, proj.model(p));
            Estimate estimate = GenerationRuns.estimator(proj).estimate(fill.units(), models);
            if (json.enabled()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("eval_run", fromEval);
                doc.put("weak_cells", weak);
                doc.put("units", fill.units().size());
                doc.put("added", added);
                doc.put("dry_run", dryRun);
                doc.put("topics", fill.units().stream().map(u -> u.topicKey()).distinct().sorted().toList());
                doc.put("combinations", fill.units().stream().map(u -> u.combination()).distinct().count());
                doc.put("estimate", EstimateCommand.toJson(estimate, proj));
                Json.print(out, doc);
                return 0;
            }
            if (weak.isEmpty()) {
                out.println("Eval run " + fromEval + " found no weak cell" + (below != null ? " below " + below : "") + ": nothing to fill.");
                return 0;
            }
            Table t = new Table("dimension", "key", "eval score");
            weak.forEach(w -> t.row(w.dimension(), w.key(), String.format(java.util.Locale.ROOT, "%.2f", w.score())));
            t.print(out);
            out.printf("%nFill from eval %s: %d edge unit(s) over %d combination(s) for %d weak cell(s); %s.%n%n", fromEval, fill.units().size(),
                    fill.units().stream().map(u -> u.combination()).distinct().count(), weak.size(), dryRun ? "dry run, nothing added" : added + " added");
            EstimateCommand.print(out, estimate);
            if (!dryRun) out.println("Next: brun generate --phase edge [--batch] --project " + proj.layout().root()
                    + ", then export, train and eval again");
        }
        return 0;
    }
}

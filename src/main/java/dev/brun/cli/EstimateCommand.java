package dev.brun.cli;

import dev.brun.pack.Phase;
import dev.brun.plan.Estimate;
import dev.brun.plan.EstimateLine;
import dev.brun.plan.PlannedUnit;
import dev.brun.project.Project;
import dev.brun.run.GenerationRuns;
import dev.brun.store.UnitState;
import dev.brun.store.UnitRecord;
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

/** brun estimate: tokens and dollars for the pending units before anything is spent. */
@Command(name = "estimate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Estimate tokens and dollars for the pending units, per phase and model.",
                "Four ways: plain, with prompt caching, with the Message Batches discount, and both."})
public final class EstimateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Option(names = "--phase", paramLabel = "P", description = "Only this phase (seed, expansion, edge).")
    String phase;

    @Option(names = "--compare", description = "After a run: the estimate of the units already generated next to the actual spend per phase (from the ledger).")
    boolean compare;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Project proj = project.open()) {
            if (compare) {
                List<PhaseComparison> rows = compare(proj, phase == null ? null : PlanCommand.parsePhase(phase));
                if (json.enabled()) Json.print(out, Map.of("comparison", rows));
                else printComparison(out, rows);
                return 0;
            }
            Estimate e = estimate(proj, phase == null ? null : PlanCommand.parsePhase(phase));
            if (json.enabled()) Json.print(out, toJson(e, proj));
            else print(out, e);
        }
        return 0;
    }

    static Estimate estimate(Project proj, Phase phase) {
        List<UnitRecord> pending = proj.db().units().pending(phase == null ? null : phase.wire());
        List<PlannedUnit> units = pending.stream().map(u -> new PlannedUnit(u.key(), u.packHash(), Phase.fromWire(u.phase()),
                u.personaKey(), u.arcKey(), u.topicKey(), u.variationIndex())).toList();
        Map<Phase, String> models = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) models.put(p, proj.model(p));
        return GenerationRuns.estimator(proj).estimate(units, models);
    }

    /**
     * One phase after a run: the estimate for its generated (and failed) units, priced the way they ran
     * (with caching; at the batch price for the share of spend that went through batches), next to the ledger.
     */
    public record PhaseComparison(String phase, String model, int units, double estimatedUsd, double actualUsd,
                                  double batchShare, double differencePercent) {}

    static List<PhaseComparison> compare(Project proj, Phase only) {
        Map<String, Double> batchSpend = proj.db().ledger().spendByPhase(true);
        Map<String, Double> syncSpend = proj.db().ledger().spendByPhase(false);
        List<PhaseComparison> rows = new java.util.ArrayList<>();
        for (Phase p : Phase.values()) {
            if (only != null && p != only) continue;
            List<PlannedUnit> ran = proj.db().units().inPhase(p.wire()).stream()
                    .filter(u -> u.state() == UnitState.DONE || u.state() == UnitState.FAILED)
                    .map(u -> new PlannedUnit(u.key(), u.packHash(), p, u.personaKey(), u.arcKey(), u.topicKey(), u.variationIndex()))
                    .toList();
            double actualBatch = batchSpend.getOrDefault(p.wire(), 0.0);
            double actualSync = syncSpend.getOrDefault(p.wire(), 0.0);
            double actual = actualBatch + actualSync;
            if (ran.isEmpty() && actual == 0) continue;
            Map<Phase, String> models = new EnumMap<>(Phase.class);
            for (Phase q : Phase.values()) models.put(q, proj.model(q));
            Estimate e = GenerationRuns.estimator(proj).estimate(ran, models);
            double share = actual == 0 ? 0 : actualBatch / actual;
            double estimated = e.totals().costCached() * (1 - share) + e.totals().costCachedBatch() * share;
            rows.add(new PhaseComparison(p.wire(), proj.model(p), ran.size(), estimated, actual, share,
                    estimated == 0 ? 0 : (actual - estimated) / estimated * 100));
        }
        return rows;
    }

    static void printComparison(PrintWriter out, List<PhaseComparison> rows) {
        if (rows.isEmpty()) {
            out.println("Nothing generated yet: the comparison needs a run (brun generate).");
            return;
        }
        Table t = new Table("phase", "model", "units run", "how", "estimated $", "actual $", "difference");
        double est = 0, act = 0;
        int units = 0;
        for (PhaseComparison r : rows) {
            String how = r.batchShare() >= 0.999 ? "cached+batch" : r.batchShare() <= 0.001 ? "cached" : String.format("cached, %.0f%% batch", r.batchShare() * 100);
            t.row(r.phase(), r.model(), r.units(), how, String.format("%.4f", r.estimatedUsd()), String.format("%.4f", r.actualUsd()),
                    String.format("%+.1f%%", r.differencePercent()));
            est += r.estimatedUsd();
            act += r.actualUsd();
            units += r.units();
        }
        t.row("total", "", units, "", String.format("%.4f", est), String.format("%.4f", act), String.format("%+.1f%%", est == 0 ? 0 : (act - est) / est * 100));
        t.print(out);
        out.println();
        out.println("Estimated: the estimate for the units that ran, priced with caching and, for the share of spend that went");
        out.println("through Message Batches, at the batch price. Actual: the spend ledger (every billed call, retries included).");
    }

    static Map<String, Object> toJson(Estimate e, Project proj) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("provider", proj.config().provider().wire());
        doc.put("lines", e.lines());
        doc.put("totals", e.totals());
        doc.put("reference", e.reference());
        doc.put("token_method", e.tokenMethod());
        doc.put("budget_usd", Double.isInfinite(proj.budgetCap()) ? null : proj.budgetCap());
        return doc;
    }

    static void print(PrintWriter out, Estimate e) {
        if (e.lines().isEmpty()) {
            out.println("Nothing pending: plan units first (brun plan).");
            return;
        }
        Table t = new Table("phase", "model", "units", "prompt tok", "output tok", "cache ttl", "plain $", "cached $", "batch $",
                "cached+batch $", "$/conv best");
        for (EstimateLine l : e.lines())
            t.row(l.phase(), l.model(), l.units(), l.promptTokens(), l.outputTokens(), ttl(l), money(l.costPlain()), money(l.costCached()),
                    money(l.costBatch()), money(l.costCachedBatch()), String.format("%.4f", l.perConversationCachedBatch()));
        Estimate.Totals s = e.totals();
        t.row("total", "", s.units(), s.promptTokens(), s.outputTokens(), "", money(s.costPlain()), money(s.costCached()),
                money(s.costBatch()), money(s.costCachedBatch()), s.units() == 0 ? "" : String.format("%.4f", s.costCachedBatch() / s.units()));
        t.print(out);
        out.println();
        for (EstimateLine l : e.lines()) out.println("  " + l.phase() + "/" + l.model() + ": " + l.note());
        Estimate.Reference r = e.reference();
        out.printf("%nReference (seed document): %,d input + %,d output tokens at $%.0f/$%.0f per million = $%.4f per conversation (about $0.03).%n",
                r.inputTokens(), r.outputTokens(), r.inputPerMillion(), r.outputPerMillion(), r.perConversation());
        if (s.units() > 0)
            out.printf("This plan, plain: $%.4f per conversation; with caching: $%.4f; with caching and batches: $%.4f.%n",
                    s.costPlain() / s.units(), s.costCached() / s.units(), s.costCachedBatch() / s.units());
        out.println("Cache ttl: the prompt-cache lifetime the calls ask for, one by one / through --batch (cache_ttl in brun.yaml).");
        out.println("Tokens: " + e.tokenMethod() + ".");
    }

    /** "5m", or "5m / 1h" when a batch run would ask for another lifetime; "-" when nothing is cached. */
    static String ttl(EstimateLine l) {
        if (!l.cacheApplies()) return "-";
        return l.cacheTtl().equals(l.batchCacheTtl()) ? l.cacheTtl() : l.cacheTtl() + " / " + l.batchCacheTtl();
    }

    static String money(double d) { return String.format("%.2f", d); }
}

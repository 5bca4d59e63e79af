package dev.brun.cli;

import dev.brun.pack.Phase;
import dev.brun.plan.CostEstimator;
import dev.brun.plan.Estimate;
import dev.brun.plan.EstimateLine;
import dev.brun.plan.PlannedUnit;
import dev.brun.project.Project;
import dev.brun.prompt.PromptBuilder;
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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Project proj = project.open()) {
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
        PromptBuilder builder = new PromptBuilder(proj.pack());
        return new CostEstimator(proj.pack(), proj.prices(), p -> builder).estimate(units, models);
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
        Table t = new Table("phase", "model", "units", "prompt tok", "output tok", "plain $", "cached $", "batch $", "cached+batch $", "$/conv best");
        for (EstimateLine l : e.lines())
            t.row(l.phase(), l.model(), l.units(), l.promptTokens(), l.outputTokens(), money(l.costPlain()), money(l.costCached()),
                    money(l.costBatch()), money(l.costCachedBatch()), String.format("%.4f", l.perConversationCachedBatch()));
        Estimate.Totals s = e.totals();
        t.row("total", "", s.units(), s.promptTokens(), s.outputTokens(), money(s.costPlain()), money(s.costCached()),
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
        out.println("Tokens: " + e.tokenMethod() + ".");
    }

    static String money(double d) { return String.format("%.2f", d); }
}

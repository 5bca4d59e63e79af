package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.conversation.Severity;
import dev.brun.project.Project;
import dev.brun.quality.ClientJudge;
import dev.brun.quality.JudgeScorer;
import dev.brun.quality.QualityRun;
import dev.brun.run.LeaseOwner;
import dev.brun.run.ProviderConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** brun check: quality checks, scores, near-duplicates and diversity over the project's conversations. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Check and score conversations: quality flags, rubric scores, near-duplicates and diversity.",
                "%nRuns the checks (truncation, length outliers, repetition, persona, arc, topic, consultant voice, format) and "
                        + "the heuristic rubric scores on every conversation not checked yet (generate checks each new one itself), "
                        + "finds near-duplicates (MinHash over the assistant's text; the best-scoring conversation of each cluster is "
                        + "kept, the others are flagged with the id they copy) and combinations whose variations are too alike, and "
                        + "stores the flags and scores. Conversations with an error flag stay out of exports by default. --judge "
                        + "also scores the usable conversations through an LLM judge.",
                "%nExit code: 0 done, 2 bad input, 1 judge calls failed or hit the budget (what was judged is kept)."})
public final class CheckCommand implements Callable<Integer> {
    /** Judge calls in flight at once: enough to hide latency, few enough to stay clear of rate limits. */
    private static final int JUDGE_CONCURRENCY = 8;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Option(names = "--rescore", description = "Check and score every conversation again, not only those not checked yet.")
    boolean rescore;

    @Option(names = "--near-duplicate-threshold", paramLabel = "J", defaultValue = "0.8",
            description = "Conversations whose assistant text is at least this similar (estimated Jaccard of 3-word shingles, "
                    + "0 < J <= 1) are near-duplicates (default: 0.8).")
    double duplicateThreshold;

    @Option(names = "--judge", paramLabel = "MODEL",
            description = "Also score usable conversations with this model as a judge (through the project's provider; "
                    + "each call is billed to the ledger and held to budget_usd). Already judged ones are skipped unless --rescore.")
    String judgeModel;

    @Override
    public Integer call() {
        if (!(duplicateThreshold > 0 && duplicateThreshold <= 1))
            throw new BadInputException("--near-duplicate-threshold must be in (0, 1], got " + duplicateThreshold);
        try (Project p = project.open()) {
            QualityRun run = QualityRun.standard(p.db(), p.pack(), duplicateThreshold);
            ProviderConnection connection = null;
            try {
                if (judgeModel != null) {
                    p.prices().price(judgeModel); // an unknown model is bad input: say so before checking anything
                }
                PrintWriter err = spec.commandLine().getErr();
                QualityRun.Summary summary = run.checkAll(rescore, stage -> {
                    err.println("check: " + stage);
                    err.flush();
                });
                QualityRun.JudgeSummary judged = null;
                if (judgeModel != null) {
                    connection = ProviderConnection.open(p, p.config().provider(), p.config().concurrency());
                    ClientJudge judge = new ClientJudge(connection.client(), judgeModel, p.prices(),
                            p.budgetCap(), p.db().ledger(), LeaseOwner.current().id());
                    judged = run.judge(new JudgeScorer(judge, judgeModel), "judge:" + judgeModel, rescore,
                            Math.min(JUDGE_CONCURRENCY, connection.maxConcurrency()));
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json.enabled()) Json.print(out, document(summary, judged));
                else print(out, summary, judged);
                if (judged != null && judged.stopReason() != null) {
                    err.println("error: judging stopped after " + judged.judged() + " conversations, " + judged.remaining()
                            + " left: " + judged.stopReason());
                    err.flush();
                    return 1;
                }
                return 0;
            } finally {
                if (connection != null) connection.close();
            }
        }
    }

    private Map<String, Object> document(QualityRun.Summary s, QualityRun.JudgeSummary judged) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("conversations", s.conversations());
        doc.put("checked", s.checked());
        doc.put("flags_changed", s.flagsChanged());
        doc.put("usable", s.usable());
        Map<String, Object> flags = new LinkedHashMap<>();
        s.flagsByCode().entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("severity", s.severityByCode().get(e.getKey()).wire());
                    f.put("conversations", e.getValue());
                    flags.put(e.getKey(), f);
                });
        doc.put("flags_by_code", flags);
        doc.put("near_duplicate_clusters", s.clusters().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kept", c.kept());
            m.put("members", c.members());
            return m;
        }).toList());
        doc.put("low_diversity_combinations", s.lowDiversityCombinations());
        if (judged != null) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("model", judgeModel);
            j.put("judged", judged.judged());
            j.put("remaining", judged.remaining());
            j.put("stop_reason", judged.stopReason());
            doc.put("judge", j);
        }
        return doc;
    }

    private void print(PrintWriter out, QualityRun.Summary s, QualityRun.JudgeSummary judged) {
        out.printf(Locale.ROOT, "checked %d of %d conversations%s; flags changed on %d%n", s.checked(), s.conversations(),
                s.checked() < s.conversations() && !rescore ? " (the others were checked before; --rescore redoes them)" : "",
                s.flagsChanged());
        if (!s.flagsByCode().isEmpty()) {
            out.println();
            Table t = new Table("Flag", "Severity", "Conversations");
            s.flagsByCode().entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> t.row(e.getKey(), s.severityByCode().get(e.getKey()).wire(), e.getValue()));
            t.print(out);
        }
        int duplicates = s.clusters().stream().mapToInt(c -> c.members().size() - 1).sum();
        out.println();
        out.printf(Locale.ROOT, "near-duplicates: %d clusters, %d conversations flagged (the best-scoring one of each cluster is kept)%n",
                s.clusters().size(), duplicates);
        List<String> alike = s.lowDiversityCombinations();
        if (!alike.isEmpty()) out.println("too alike: " + alike.size() + " combinations (" + String.join(", ", alike.subList(0, Math.min(5, alike.size())))
                + (alike.size() > 5 ? ", ..." : "") + ")");
        out.printf(Locale.ROOT, "usable: %d of %d conversations (not rejected, no %s flag)%n", s.usable(), s.conversations(), Severity.ERROR.wire());
        if (judged != null)
            out.printf(Locale.ROOT, "judge %s: scored %d conversations%s%n", judgeModel, judged.judged(),
                    judged.remaining() > 0 ? ", " + judged.remaining() + " left" : "");
        out.flush();
    }
}

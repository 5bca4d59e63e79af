package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.conversation.Conversation;
import dev.brun.eval.CellRanking;
import dev.brun.eval.EvalHtml;
import dev.brun.eval.EvalJudge;
import dev.brun.eval.EvalManifest;
import dev.brun.eval.EvalReport;
import dev.brun.eval.EvalRunner;
import dev.brun.eval.EvalSetup;
import dev.brun.eval.HeldOutSet;
import dev.brun.eval.ReplyModel;
import dev.brun.export.AtomicFile;
import dev.brun.project.Project;
import dev.brun.run.LeaseOwner;
import dev.brun.run.ProviderConnection;
import dev.brun.store.EvalDao;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** brun eval: replay held-out conversations against a fine-tuned model and report, per cell, how well it speaks in the voice. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Did the adapter learn the voice? Replay held-out conversations against a fine-tuned model.",
                "%nEvery user turn of each held-out conversation (the validation split of an export, by default the latest) is the "
                        + "recorded one; at every consultant turn the model served at --endpoint (any OpenAI-compatible server: vLLM "
                        + "with a LoRA, Ollama, llama.cpp server, TGI) replies, with the training system prompt. Each reply is scored by "
                        + "the checks that guard the training data (voice, truncation, persona facts) and, with --judge, by the LLM "
                        + "judge's rubric and a pairwise judgement against the teacher's recorded reply (asked twice, positions swapped). "
                        + "Results per persona, arc, topic and arc stage, weakest first. Replies and verdicts are stored as they arrive: "
                        + "the same command again (or --resume RUN) continues a killed run without asking or paying twice.",
                "%nKeys: " + EvalSetup.ADAPTER_KEY_ENV + " and " + EvalSetup.BASELINE_KEY_ENV + " when the endpoints need one; the judge "
                        + "uses the project's provider and key. Exit code: 0 complete, 1 model calls failed, 2 bad input, 3 stopped early (budget): run it again."})
public final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Option(names = "--endpoint", paramLabel = "URL", description = "OpenAI-compatible base URL of the fine-tuned model, e.g. http://localhost:8000/v1.")
    String endpoint;

    @Option(names = "--model", paramLabel = "NAME", description = "Model name the server knows the adapter by (e.g. the LoRA's name in vLLM).")
    String model;

    @Option(names = "--baseline-endpoint", paramLabel = "URL", description = "OpenAI-compatible base URL of a model to compare with (e.g. the base model).")
    String baselineEndpoint;

    @Option(names = "--baseline-model", paramLabel = "NAME", description = "Name of the baseline model.")
    String baselineModel;

    @Option(names = "--from", paramLabel = "EXPORT_DIR", description = "Export folder to read the held-out conversations from (default: the latest under exports/).")
    Path from;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "validation",
            description = "Which conversations of the export: validation (default), train or all.")
    String split;

    @Option(names = "--judge", paramLabel = "MODEL",
            description = "Also judge each reply with this model (rubric and pairwise against the teacher), through the project's provider; "
                    + "each call is reserved against the budget and written to the ledger.")
    String judgeModel;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Evaluate at most the first N held-out conversations (default: all).")
    int limit;

    @Option(names = "--budget", paramLabel = "USD",
            description = "Spend at most this many dollars on judge calls in this command (the project's budget_usd holds too).")
    Double budget;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "" + EvalRunner.DEFAULT_CONCURRENCY,
            description = "Conversations replayed at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the report as one self-contained HTML file.")
    Path html;

    @Option(names = "--dry-run", description = "Print the estimate (calls to make, judge cost) and stop.")
    boolean dryRun;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue (or report) this run with its stored settings; no other model option is needed.")
    String resume;

    @Option(names = "--list", description = "List the eval runs of the project.")
    boolean list;

    @Option(names = "--compare", arity = "2", paramLabel = "RUN", description = "Compare two runs cell by cell (RUN_A RUN_B).")
    List<String> compare;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (limit < 0) throw new BadInputException("--limit must be 0 or more, got " + limit);
        if (budget != null && !(budget >= 0)) throw new BadInputException("--budget must be a number of dollars >= 0, got " + budget);
        try (Project p = project.open()) {
            EvalDao dao = new EvalDao(p.db());
            if (list) return list(dao, out);
            if (compare != null) return compare(p, dao, compare.get(0), compare.get(1), out);
            EvalManifest manifest;
            HeldOutSet set;
            if (resume != null) {
                EvalDao.Run stored = dao.run(resume).orElseThrow(() -> new BadInputException("no eval run " + resume + " in this project (see brun eval --list)"));
                manifest = EvalManifest.fromJson(stored.manifest());
                set = HeldOutSet.read(Path.of(manifest.exportDir()), manifest.split());
                if (!set.datasetHash().equals(manifest.datasetHash()))
                    throw new BadInputException("the export " + manifest.exportDir() + " changed since run " + resume + " started; start a new run");
            } else {
                if (endpoint == null || model == null) throw new BadInputException("give --endpoint URL and --model NAME (or --resume RUN, --list, --compare)");
                set = HeldOutSet.read(EvalSetup.exportDir(from, p.layout().exports()), split);
                if (judgeModel != null) p.prices().price(judgeModel); // an unpriced judge is bad input before anything runs
                manifest = EvalSetup.manifest(endpoint, model, baselineEndpoint, baselineModel, set, judgeModel, limit, p.pack());
            }
            List<Conversation> conversations = EvalSetup.conversations(p.db(), set, manifest.limit());
            EvalDao.Run run = EvalSetup.run(dao, manifest);
            String system = EvalSetup.systemPrompt(set, p.pack());
            int unconfirmed = EvalRunner.countCallsOfDeadProcesses(p.db().ledger());
            if (unconfirmed > 0) err.println("eval: " + unconfirmed + " call(s) in flight when an earlier run died are counted as possibly billed");

            Map<String, ReplyModel> models = new LinkedHashMap<>();
            int attempts = p.config().maxAttempts();
            models.put(EvalRunner.ADAPTER, ReplyModel.chat(EvalSetup.client(endpointFor(manifest.endpoint(), resume == null ? endpoint : null),
                    System.getenv(EvalSetup.ADAPTER_KEY_ENV), attempts), manifest.model(), manifest.temperature(), manifest.maxTokens()));
            if (manifest.hasBaseline())
                models.put(EvalRunner.BASELINE, ReplyModel.chat(EvalSetup.client(endpointFor(manifest.baselineEndpoint(), resume == null ? baselineEndpoint : null),
                        System.getenv(EvalSetup.BASELINE_KEY_ENV), attempts), manifest.baselineModel(), manifest.temperature(), manifest.maxTokens()));
            ProviderConnection connection = null;
            try {
                EvalRunner[] runner = new EvalRunner[1];
                EvalJudge judge = null;
                if (manifest.judged()) {
                    connection = ProviderConnection.open(p, p.config().provider(), p.config().concurrency());
                    double cap = p.budgetCap();
                    if (budget != null) cap = Math.min(cap, p.db().ledger().totalSpend() + budget);
                    judge = new EvalJudge(connection.client(), manifest.judgeModel(), p.prices(), p.db().ledger(), cap,
                            LeaseOwner.current().id(), () -> runner[0] != null && runner[0].stopping());
                }
                runner[0] = new EvalRunner(dao, p.pack(), models, judge, concurrency);
                EvalRunner.Estimate e = runner[0].estimate(run.id(), system, conversations);
                err.printf(Locale.ROOT, "eval %s: %d held-out conversation(s); to do: %d model repl%s, %d judge call(s)%s%n", run.id(), conversations.size(),
                        e.replyCalls(), e.replyCalls() == 1 ? "y" : "ies", e.judgeCalls(),
                        manifest.judged() ? String.format(Locale.ROOT, ", expected $%.4f, at most $%.4f (judge %s)", e.judgeExpectedUsd(), e.judgeWorstUsd(), manifest.judgeModel()) : "");
                err.flush();
                if (dryRun) {
                    if (json.enabled()) {
                        Map<String, Object> doc = new LinkedHashMap<>();
                        doc.put("run", run.id());
                        doc.put("reply_calls", e.replyCalls());
                        doc.put("judge_calls", e.judgeCalls());
                        doc.put("judge_expected_usd", e.judgeExpectedUsd());
                        doc.put("judge_worst_usd", e.judgeWorstUsd());
                        Json.print(out, doc);
                    }
                    return 0;
                }
                int[] done = {0};
                EvalRunner.Outcome outcome = runWithGracefulStop(runner[0], err, () -> runner[0].run(run.id(), system, conversations, event -> {
                    synchronized (done) {
                        if (++done[0] % 25 == 0) { err.println("eval: " + done[0] + " stored"); err.flush(); }
                    }
                }));
                EvalReport report = EvalReport.build(run.id(), manifest, p.pack(), conversations, dao.replies(run.id()), dao.judgements(run.id()));
                if (html != null) {
                    Path target = html.toAbsolutePath().normalize();
                    AtomicFile.write(target.getParent(), target, o -> o.write(EvalHtml.render(report).getBytes(StandardCharsets.UTF_8)));
                }
                if (json.enabled()) {
                    Map<String, Object> doc = report.toJson();
                    doc.put("calls", Map.of("replies", outcome.replyCalls(), "judge", outcome.judgeCalls(), "failed_replies", outcome.failedReplies()));
                    doc.put("stop_reason", outcome.stopReason());
                    Json.print(out, doc);
                } else {
                    print(out, report);
                    out.printf(Locale.ROOT, "%nthis command: %d model repl%s, %d judge call(s)%s%n", outcome.replyCalls(), outcome.replyCalls() == 1 ? "y" : "ies",
                            outcome.judgeCalls(), html != null ? "; HTML report: " + html.toAbsolutePath().normalize() : "");
                    out.println("Next: brun fill --from-eval " + run.id() + " --project " + p.layout().root());
                    out.flush();
                }
                if (outcome.stopReason() != null || outcome.failedReplies() > 0) {
                    err.println("error: eval stopped before the end" + (outcome.stopReason() != null ? ": " + outcome.stopReason() : "")
                            + (outcome.failedReplies() > 0 ? "; " + outcome.failedReplies() + " model call(s) failed" : "")
                            + "; run the same command again to finish (nothing stored is asked for again)");
                    err.flush();
                    return outcome.failedReplies() > 0 ? 1 : ExitCodes.STOPPED_EARLY;
                }
                return 0;
            } finally {
                if (connection != null) connection.close();
            }
        }
    }

    /** Ctrl-C stops starting calls and waits until the calls on the wire are answered and stored before the JVM exits. */
    private static EvalRunner.Outcome runWithGracefulStop(EvalRunner runner, PrintWriter err, java.util.function.Supplier<EvalRunner.Outcome> work) {
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            err.println();
            err.println("Stopping: waiting for calls in flight to be stored (run the same command again to resume)...");
            err.flush();
            runner.requestStop("interrupted (Ctrl-C)");
            try {
                finished.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.get();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting because of Ctrl-C; the hook is waiting for us
            }
        }
    }

    /** The endpoint to call: the one given now (it may carry credentials the stored, cleaned one lacks), else the stored one. */
    private static String endpointFor(String stored, String given) { return given != null ? given : stored; }

    private int list(EvalDao dao, PrintWriter out) {
        List<EvalDao.Run> runs = dao.runs();
        if (json.enabled()) {
            Json.print(out, runs.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("run", r.id());
                m.put("created_at", Instant.ofEpochMilli(r.createdAt()).toString());
                m.put("finished_at", r.finishedAt() == null ? null : Instant.ofEpochMilli(r.finishedAt()).toString());
                m.put("replies", dao.replyCount(r.id()));
                m.put("judgements", dao.judgementCount(r.id()));
                m.put("manifest", tools.jackson.databind.json.JsonMapper.builder().build().readValue(r.manifest(), Map.class));
                return m;
            }).toList());
            return 0;
        }
        if (runs.isEmpty()) {
            out.println("No eval runs yet: brun eval --endpoint URL --model NAME");
            return 0;
        }
        Table t = new Table("run", "created", "finished", "model", "baseline", "judge", "replies", "verdicts");
        for (EvalDao.Run r : runs) {
            EvalManifest m = EvalManifest.fromJson(r.manifest());
            t.row(r.id(), Instant.ofEpochMilli(r.createdAt()).toString(), r.finishedAt() == null ? "-" : Instant.ofEpochMilli(r.finishedAt()).toString(),
                    m.model(), m.hasBaseline() ? m.baselineModel() : "-", m.judged() ? m.judgeModel() : "-", dao.replyCount(r.id()), dao.judgementCount(r.id()));
        }
        t.print(out);
        return 0;
    }

    private EvalReport report(Project p, EvalDao dao, String runId) { return EvalSetup.report(p.db(), p.pack(), dao, runId); }

    private int compare(Project p, EvalDao dao, String a, String b, PrintWriter out) {
        EvalReport ra = report(p, dao, a);
        EvalReport rb = report(p, dao, b);
        boolean sameData = ra.manifest().datasetHash().equals(rb.manifest().datasetHash());
        if (json.enabled()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("run_a", a);
            doc.put("run_b", b);
            doc.put("same_dataset", sameData);
            doc.put("score_a", EvalReportRounding.round(ra.totals(EvalRunner.ADAPTER).mean()));
            doc.put("score_b", EvalReportRounding.round(rb.totals(EvalRunner.ADAPTER).mean()));
            Map<String, Object> dims = new LinkedHashMap<>();
            for (CellRanking.Dimension d : CellRanking.Dimension.values())
                dims.put(d.name().toLowerCase(Locale.ROOT), ra.weakest(d).stream().map(c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("key", c.key());
                    m.put("a", EvalReportRounding.round(c.mean()));
                    var other = rb.cellMean(EvalRunner.ADAPTER, d, c.key());
                    m.put("b", other.isPresent() ? EvalReportRounding.round(other.getAsDouble()) : null);
                    return m;
                }).toList());
            doc.put("cells", dims);
            Json.print(out, doc);
            return 0;
        }
        if (!sameData) out.println("warning: the two runs replayed different held-out data; cells may not be comparable");
        out.printf(Locale.ROOT, "%s (%s): %.2f   %s (%s): %.2f%n", a, ra.manifest().model(), ra.totals(EvalRunner.ADAPTER).mean(),
                b, rb.manifest().model(), rb.totals(EvalRunner.ADAPTER).mean());
        for (CellRanking.Dimension d : CellRanking.Dimension.values()) {
            out.println();
            Table t = new Table(d.name().toLowerCase(Locale.ROOT), a, b, "change");
            // the cells that changed most for the worse first: what the new round broke, or did not fix
            List<EvalReport.CellStats> cells = new java.util.ArrayList<>(ra.weakest(d));
            cells.sort(java.util.Comparator.comparingDouble((EvalReport.CellStats c) ->
                    rb.cellMean(EvalRunner.ADAPTER, d, c.key()).orElse(c.mean()) - c.mean()).thenComparing(EvalReport.CellStats::key));
            for (EvalReport.CellStats c : cells) {
                var other = rb.cellMean(EvalRunner.ADAPTER, d, c.key());
                t.row(c.key(), fmt(c.mean()), other.isPresent() ? fmt(other.getAsDouble()) : "-",
                        other.isPresent() ? String.format(Locale.ROOT, "%+.2f", other.getAsDouble() - c.mean()) : "-");
            }
            t.print(out);
        }
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, EvalReport report) {
        Table totals = new Table("model", "name", "replies", "score", "checks", "judge", "win vs teacher");
        for (String role : report.roles()) {
            EvalReport.Totals t = report.totals(role);
            totals.row(role, role.equals(EvalRunner.ADAPTER) ? report.manifest().model() : report.manifest().baselineModel(), t.replies(),
                    fmt(t.mean()), fmt(t.checksMean()), t.judgeMean() == null ? "-" : fmt(t.judgeMean()), t.winRate() == null ? "-" : pct(t.winRate()));
        }
        out.println("eval " + report.runId() + (report.complete() ? "" : " (incomplete: rerun to finish)"));
        totals.print(out);
        for (CellRanking.Dimension d : CellRanking.Dimension.values()) {
            out.println();
            out.println("weakest " + d.name().toLowerCase(Locale.ROOT) + " cells (adapter):");
            Table t = new Table(d.name().toLowerCase(Locale.ROOT), "score", "win vs teacher", "replies", "baseline", "worst reply flags");
            for (EvalReport.CellStats c : report.weakest(d).subList(0, Math.min(5, report.weakest(d).size()))) {
                var base = report.cellMean(EvalRunner.BASELINE, d, c.key());
                t.row(c.key(), fmt(c.mean()), c.winRate() == null ? "-" : pct(c.winRate()), c.replies(),
                        base.isPresent() ? fmt(base.getAsDouble()) : "-", c.worst().flagCodes().isEmpty() ? "-" : String.join(",", c.worst().flagCodes()));
            }
            t.print(out);
        }
        List<EvalReport.CellStats> topics = report.weakest(CellRanking.Dimension.TOPIC);
        if (!topics.isEmpty()) {
            EvalReport.CellStats w = topics.getFirst();
            out.println();
            out.println("example from the weakest topic (" + w.key() + "), conversation " + w.worst().conversationId() + " turn " + w.worst().turnIndex() + ":");
            out.println("  adapter: " + oneLine(w.worst().reply()));
            out.println("  teacher: " + oneLine(w.worst().teacherReply()));
        }
        out.flush();
    }

    private static String oneLine(String s) {
        String flat = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.2f", v); }

    private static String pct(double v) { return String.format(Locale.ROOT, "%.0f%%", v * 100); }

    /** Three decimals in JSON documents. */
    private static final class EvalReportRounding {
        static double round(double v) { return Math.round(v * 1000) / 1000.0; }
    }
}

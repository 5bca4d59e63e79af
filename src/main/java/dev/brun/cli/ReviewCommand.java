package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.conversation.ReviewStatus;
import dev.brun.project.Project;
import dev.brun.review.PlanParameters;
import dev.brun.review.ReviewPlanner;
import dev.brun.review.SamplingPlan;
import dev.brun.review.SignOff;
import dev.brun.review.StratumDimension;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** brun review plan|decide|status|signoff: certify conversations by reviewing a random sample per stratum. */
@Command(name = "review", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Certify the data by reading a random sample per stratum instead of every conversation.",
                "%nplan draws the samples, decide records decisions, status shows progress, signoff gives each stratum's verdict."},
        subcommands = {ReviewCommand.Plan.class, ReviewCommand.Decide.class, ReviewCommand.Status.class, ReviewCommand.Signoff.class})
public final class ReviewCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Split the reviewable conversations (not rejected, no error flag, not yet reviewed) into strata and draw "
                    + "each stratum's sample: the smallest n for which a stratum whose true defect rate is --defect-rate passes with "
                    + "probability at most 1 - --confidence when at most --accept-defects defects are found (exact, hypergeometric).",
                    "%nThe same --seed gives the same sample. With an open plan, the same settings add strata for conversations made "
                            + "since; other settings need --replace."})
    static final class Plan implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin ProjectMixin project;
        @Mixin JsonMixin json;

        @Option(names = "--by", paramLabel = "DIM[,DIM...]", split = "\\s+",
                description = "Strata: phase, model, arc, persona, topic, combination or seed, comma-separated (default: phase,model).")
        List<String> by;

        @Option(names = "--defect-rate", paramLabel = "P", defaultValue = "0.05",
                description = "Defect rate the sample must rule out (default: ${DEFAULT-VALUE}).")
        double defectRate;

        @Option(names = "--confidence", paramLabel = "C", defaultValue = "0.95", description = "Confidence (default: ${DEFAULT-VALUE}).")
        double confidence;

        @Option(names = "--accept-defects", paramLabel = "N", defaultValue = "0",
                description = "Defects a sample may hold and still pass (default: ${DEFAULT-VALUE}).")
        int acceptDefects;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the random draw (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--overlap", paramLabel = "SHARE", defaultValue = "0",
                description = "Share of each sample to be read by two reviewers, e.g. 0.1 (default: ${DEFAULT-VALUE}).")
        double overlap;

        @Option(names = "--replace", description = "Replace the open plan (its decisions stay; undecided conversations are planned again).")
        boolean replace;

        @Override
        public Integer call() {
            PlanParameters params = new PlanParameters(StratumDimension.parse(by), defectRate, confidence, acceptDefects, seed, overlap);
            try (Project p = project.open()) {
                ReviewPlanner.Outcome o = new ReviewPlanner(p.db().reviewPlans()).plan(params, replace);
                dev.brun.review.Calibration calibration = dev.brun.review.Calibration.measure(p.db().reviewHistory());
                PrintWriter out = spec.commandLine().getOut();
                if (json.enabled()) {
                    Map<String, Object> doc = planDocument(o);
                    doc.put("automatic_rejection", Map.of("rule", dev.brun.review.Calibration.GATE_RULE,
                            "qualifying_signals", calibration.qualifyingSignals().stream().map(dev.brun.review.Calibration.Signal::name).toList()));
                    Json.print(out, doc);
                } else {
                    printPlan(out, o, Invocation.of(spec).command());
                    out.println(automaticRejectionLine(calibration));
                }
            }
            return 0;
        }
    }

    static Map<String, Object> planDocument(ReviewPlanner.Outcome o) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("plan_id", o.plan().id());
        d.put("action", o.action().name().toLowerCase(Locale.ROOT));
        d.put("by", o.plan().strataBy());
        d.put("defect_rate", o.plan().defectRate());
        d.put("confidence", o.plan().confidence());
        d.put("accept_defects", o.plan().acceptDefects());
        d.put("seed", o.plan().seed());
        d.put("overlap", o.plan().overlap());
        List<Map<String, Object>> strata = new ArrayList<>();
        for (ReviewPlanner.StratumLine s : o.strata()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stratum", s.stratum().label());
            row.put("conversations", s.stratum().conversations());
            row.put("sample_size", s.stratum().sampleSize());
            row.put("reading_minutes", round1(s.sampleMinutes()));
            row.put("reading_all_minutes", round1(s.allMinutes()));
            row.put("new", s.added());
            row.put("sample", s.sample());
            strata.add(row);
        }
        d.put("strata", strata);
        d.put("conversations", o.conversations());
        d.put("sample_size", o.sampleSize());
        d.put("sample_share", o.conversations() == 0 ? 0 : round1(o.sampleSize() * 1000.0 / o.conversations()) / 1000.0);
        d.put("reading_hours", round1(o.sampleHours()));
        d.put("reading_all_hours", round1(o.allHours()));
        d.put("hours_saved", round1(o.hoursSaved()));
        return d;
    }

    /** Which automated signals are trusted to reject on their own, measured against reviewers so far. */
    static String automaticRejectionLine(dev.brun.review.Calibration c) {
        var qualifying = c.qualifyingSignals();
        if (qualifying.isEmpty())
            return "Automated verdicts: no signal agrees with reviewers well enough to reject on its own yet (" + c.decisions()
                    + " reviewed decision(s); rule: " + dev.brun.review.Calibration.GATE_RULE + "); see 'brun report'.";
        return "Automated verdicts that qualify to reject on their own: " + String.join(", ", qualifying.stream()
                .map(sg -> sg.name() + " (" + sg.gateReason() + ")").toList()) + "; every other signal is never applied. See 'brun report'.";
    }

    static void printPlan(PrintWriter out, ReviewPlanner.Outcome o, String brun) {
        String what = switch (o.action()) {
            case CREATED -> "Review plan " + o.plan().id() + " made";
            case REPLACED -> "Review plan " + o.plan().id() + " made (the open plan it replaces is closed; decisions stay)";
            case ADDED -> "Review plan " + o.plan().id() + ": new conversations form new strata (marked *)";
            case UNCHANGED -> "Review plan " + o.plan().id() + " is open and unchanged (no new conversations)";
        };
        out.println(what + ": strata by " + o.plan().strataBy() + "; a stratum passes when its sample shows at most "
                + o.plan().acceptDefects() + " defect(s), ruling out a defect rate of " + SignOffText.percent(o.plan().defectRate())
                + " at " + SignOffText.percent(o.plan().confidence()) + " confidence; seed " + o.plan().seed()
                + (o.plan().overlap() > 0 ? "; " + SignOffText.percent(o.plan().overlap()) + " of each sample read twice" : "") + ".");
        Table t = new Table("stratum", "conversations", "sample", "reading", "reading all");
        for (ReviewPlanner.StratumLine s : o.strata())
            t.row((s.added() && o.action() == ReviewPlanner.Action.ADDED ? "* " : "") + s.stratum().label(), s.stratum().conversations(),
                    s.stratum().sampleSize(), duration(s.sampleMinutes()), duration(s.allMinutes()));
        t.print(out);
        double share = o.conversations() == 0 ? 0 : 100.0 * o.sampleSize() / o.conversations();
        out.printf(Locale.ROOT, "Read %d of %d conversations (%.1f%%): about %s instead of %s for all of them, %.1f hours saved.%n",
                o.sampleSize(), o.conversations(), share, duration(o.sampleHours() * 60), duration(o.allHours() * 60), o.hoursSaved());
        out.println("Next: " + brun + " serve, then Sign-off > Review sample (or '" + brun + " review decide ID... --approve'); '"
                + brun + " review signoff' gives the verdicts.");
    }

    @Command(name = "decide", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Record a decision on conversations from the command line (scripts, or decisions made in another tool).",
                    "%nA defect is a rejection, or an edit before approval (--edited). Every id is checked before anything is recorded."})
    static final class Decide implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin ProjectMixin project;
        @Mixin JsonMixin json;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "Conversation ids.")
        List<String> ids;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Decision decision;

        static final class Decision {
            @Option(names = "--approve", description = "Approve: a person read it and it is fine as it is.") boolean approve;
            @Option(names = "--reject", paramLabel = "REASON", description = "Reject, with the reason.") String reject;
            @Option(names = "--edited", description = "Approve after editing it (elsewhere): counts as a defect.") boolean edited;
        }

        @Option(names = "--reviewer", paramLabel = "NAME", defaultValue = "cli", description = "Who decided (default: ${DEFAULT-VALUE}).")
        String reviewer;

        @Override
        public Integer call() {
            if (decision.reject != null && decision.reject.isBlank()) throw new BadInputException("--reject needs a reason");
            if (reviewer.isBlank()) throw new BadInputException("--reviewer needs a name");
            try (Project p = project.open()) {
                List<String> missing = p.db().reviewPlans().missing(ids);
                if (!missing.isEmpty())
                    throw new BadInputException("no conversation with id " + String.join(", ", missing) + " (nothing was recorded)");
                String status = decision.reject != null ? "rejected" : "approved";
                for (String id : ids) {
                    if (decision.edited) p.db().reviews().recordEditedElsewhere(id, reviewer);
                    p.db().reviews().setStatus(id, decision.reject != null ? ReviewStatus.REJECTED : ReviewStatus.APPROVED, reviewer);
                    if (decision.reject != null) {
                        String earlier = p.db().conversations().find(id).map(s -> s.review().notes()).orElse(null);
                        String line = "Rejected: " + decision.reject.strip();
                        p.db().reviews().note(id, earlier == null || earlier.isBlank() ? line : earlier + "\n" + line, reviewer);
                    }
                }
                var result = new SignOff(p.db().reviewPlans()).evaluate();
                PrintWriter out = spec.commandLine().getOut();
                if (json.enabled()) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("decided", ids.size());
                    d.put("status", status);
                    d.put("edited", decision.edited);
                    d.put("reviewer", reviewer);
                    d.put("strata", result.map(r -> r.strata().stream().map(SignOff::row).toList()).orElse(List.of()));
                    Json.print(out, d);
                } else {
                    out.println(ids.size() + " conversation(s) " + status + (decision.edited ? " after an edit (a defect)" : "")
                            + " by " + reviewer + ".");
                    result.ifPresent(r -> SignOffText.verdictChanges(out, r));
                }
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Per stratum and per reviewer: what is done and what is left of the open plan's samples.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin ProjectMixin project;
        @Mixin JsonMixin json;

        @Override
        public Integer call() {
            try (Project p = project.open()) {
                SignOff.Result r = openResult(p);
                PrintWriter out = spec.commandLine().getOut();
                if (json.enabled()) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("plan_id", r.plan().id());
                    List<Map<String, Object>> strata = new ArrayList<>();
                    for (SignOff.StratumResult s : r.strata()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("stratum", s.stratum().label());
                        row.put("sample_size", s.stratum().sampleSize());
                        row.put("reviewed", s.reviewed());
                        row.put("left", s.left());
                        row.put("defects", s.defects());
                        row.put("verdict", s.verdict().label());
                        row.put("by_reviewer", s.byReviewer());
                        strata.add(row);
                    }
                    d.put("strata", strata);
                    d.put("reviewers", r.byReviewer());
                    d.put("left", r.strata().stream().mapToInt(SignOff.StratumResult::left).sum());
                    Json.print(out, d);
                    return 0;
                }
                Table t = new Table("stratum", "reviewed", "sample", "left", "defects", "verdict", "by reviewer");
                for (SignOff.StratumResult s : r.strata())
                    t.row(s.stratum().label(), s.reviewed(), s.stratum().sampleSize(), s.left(), s.defects(), s.verdict().label(),
                            s.byReviewer().isEmpty() ? "-" : String.join(", ", s.byReviewer().entrySet().stream()
                                    .map(e -> (e.getKey().isEmpty() ? "(unnamed)" : e.getKey()) + " " + e.getValue()).toList()));
                t.print(out);
                int left = r.strata().stream().mapToInt(SignOff.StratumResult::left).sum();
                out.println(left == 0 ? "Every sample is read; 'brun review signoff' gives the verdicts."
                        : left + " sampled conversation(s) left to read.");
                if (!r.byReviewer().isEmpty()) {
                    Table rt = new Table("reviewer", "decided");
                    r.byReviewer().forEach((k, v) -> rt.row(k.isEmpty() ? "(unnamed)" : k, v));
                    rt.print(out);
                }
            }
            return 0;
        }
    }

    @Command(name = "signoff", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Each stratum's verdict: open (sample not fully read), accepted (sample read with at most --accept-defects "
                    + "defects: its unread conversations become 'accepted') or rejected (more defects: nothing is accepted or discarded).",
                    "%nJSON keys per stratum: stratum, conversations, sample_size, reviewed, defects, defect_rate_upper_bound (one-sided, "
                            + "at the plan's confidence), verdict."})
    static final class Signoff implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin ProjectMixin project;
        @Mixin JsonMixin json;

        @Override
        public Integer call() {
            try (Project p = project.open()) {
                SignOff.Result r = openResult(p);
                PrintWriter out = spec.commandLine().getOut();
                if (json.enabled()) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("plan_id", r.plan().id());
                    d.put("defect_rate", r.plan().defectRate());
                    d.put("confidence", r.plan().confidence());
                    d.put("accept_defects", r.plan().acceptDefects());
                    d.put("strata", r.strata().stream().map(SignOff::row).toList());
                    d.put("newly_accepted", r.newlyAccepted());
                    Json.print(out, d);
                    return 0;
                }
                Table t = new Table("stratum", "conversations", "sample", "reviewed", "defects", "upper bound", "verdict");
                for (SignOff.StratumResult s : r.strata())
                    t.row(s.stratum().label(), s.stratum().conversations(), s.stratum().sampleSize(), s.reviewed(), s.defects(),
                            SignOffText.percent(s.upperBound()), s.verdict().label());
                t.print(out);
                out.println("Upper bound: the defect rate each stratum is shown to stay under, at " + SignOffText.percent(r.plan().confidence())
                        + " confidence (exact, one-sided).");
                SignOffText.verdictChanges(out, r);
            }
            return 0;
        }
    }

    private static SignOff.Result openResult(Project p) {
        return new SignOff(p.db().reviewPlans()).evaluate().orElseThrow(() -> new BadInputException(
                "no open review plan: 'brun review plan' draws the samples first"));
    }

    private static double round1(double x) { return Math.round(x * 10) / 10.0; }

    static String duration(double minutes) {
        long m = Math.round(minutes);
        return m < 60 ? m + " min" : String.format(Locale.ROOT, "%d h %02d min", m / 60, m % 60);
    }

    /** Words for the verdicts, shared by decide and signoff. */
    static final class SignOffText {
        private SignOffText() {}

        static String percent(double x) {
            double p = x * 100;
            return (Math.abs(p - Math.rint(p)) < 1e-9 ? Long.toString(Math.round(p)) : String.format(Locale.ROOT, "%.1f", p)) + "%";
        }

        static void verdictChanges(PrintWriter out, SignOff.Result r) {
            for (SignOff.StratumResult s : r.strata()) {
                if (s.newlyAccepted() > 0)
                    out.println("Stratum '" + s.stratum().label() + "' is accepted: " + s.newlyAccepted() + " unread conversation(s) are now "
                            + "'accepted' (certified by the sample; 'brun export --only certified' takes them).");
                if (s.verdict() == SamplingPlan.Verdict.REJECTED) out.println(SignOff.rejectedAdvice(s, r.plan()));
            }
        }
    }
}

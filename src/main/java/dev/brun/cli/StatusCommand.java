package dev.brun.cli;

import dev.brun.project.Project;
import dev.brun.run.CacheSavings;
import dev.brun.run.LeaseOwner;
import dev.brun.store.ConversationFilter;
import dev.brun.store.DiscardedSpend;
import dev.brun.store.FailureCount;
import dev.brun.store.TokenTotals;
import dev.brun.store.UnitCount;
import dev.brun.store.UnitRecord;
import dev.brun.store.UnitState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** brun status: units per state and phase, spend, failures by reason, cache hit rate. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show units per state and phase, spend so far, failures grouped by reason and the cache hit rate.")
public final class StatusCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Project proj = project.open()) {
            List<UnitCount> counts = proj.db().units().countsByStateAndPhase();
            List<FailureCount> failures = proj.db().units().failuresByReason();
            List<DiscardedSpend> discarded = proj.db().units().discardedByReason();
            TokenTotals tokens = proj.db().ledger().totals();
            double spend = proj.db().ledger().totalSpend();
            double unconfirmed = proj.db().ledger().unconfirmedSpend();
            dev.brun.run.ReplySpool spool = dev.brun.run.ReplySpool.in(proj.layout().root());
            int unstored = spool.read().size();
            Map<String, Double> byPhase = proj.db().ledger().spendByPhase();
            long conversations = proj.db().conversations().count(ConversationFilter.all());
            long usable = proj.db().conversations().count(ConversationFilter.all().usable());
            CacheSavings cache = CacheSavings.of(proj.db().ledger(), proj.prices());
            double saved = cache.savedUsd();
            double hitRate = cache.hitRate();
            Map<String, Map<String, Long>> table = new TreeMap<>();
            for (UnitCount c : counts)
                table.computeIfAbsent(c.phase(), k -> new LinkedHashMap<>()).merge(c.state().wire(), c.count(), Long::sum);
            if (json.enabled()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("project", proj.layout().root().toString());
                doc.put("provider", proj.config().provider().wire());
                doc.put("units", table);
                doc.put("conversations", conversations);
                doc.put("usable_conversations", usable);
                doc.put("spend_usd", spend);
                doc.put("unconfirmed_spend_usd", unconfirmed);
                doc.put("unstored_replies", unstored);
                doc.put("spend_by_phase", byPhase);
                doc.put("budget_usd", Double.isInfinite(proj.budgetCap()) ? null : proj.budgetCap());
                doc.put("tokens", tokens);
                doc.put("cache_hit_rate", hitRate);
                doc.put("cache_savings_usd", saved);
                doc.put("cost_without_caching_usd", cache.withoutCachingUsd());
                doc.put("failures_by_reason", failures);
                doc.put("discarded_by_reason", discarded);
                Json.print(out, doc);
                return 0;
            }
            out.println("Project " + proj.layout().root() + " (pack " + proj.pack().name() + ", provider " + proj.config().provider().wire() + ")");
            out.println();
            Table t = new Table("phase", "pending", "leased", "done", "failed", "total");
            for (var e : table.entrySet()) {
                Map<String, Long> m = e.getValue();
                long total = m.values().stream().mapToLong(Long::longValue).sum();
                t.row(e.getKey(), get(m, UnitState.PENDING), get(m, UnitState.LEASED), get(m, UnitState.DONE), get(m, UnitState.FAILED), total);
            }
            if (t.isEmpty()) out.println("No units planned yet: run '" + Invocation.of(spec).command() + " plan --target N'.");
            else t.print(out);
            String leasedNote = leasedNote(proj.db().units().leased());
            if (leasedNote != null) out.println(leasedNote);
            out.println();
            out.printf("Conversations: %d stored, %d usable (not rejected, no error flag).%n", conversations, usable);
            out.printf("Spend: $%.4f%s over %d billed calls", spend,
                    Double.isInfinite(proj.budgetCap()) ? "" : String.format(" of a $%.2f budget", proj.budgetCap()), tokens.calls());
            if (!byPhase.isEmpty()) {
                StringBuilder sb = new StringBuilder(" (");
                byPhase.forEach((k, v) -> sb.append(sb.length() > 2 ? ", " : "").append(k).append(String.format(" $%.4f", v)));
                out.print(sb.append(')'));
            }
            out.println(".");
            if (unconfirmed > 0)
                out.printf("Of which $%.4f possibly billed by %d call(s) in flight at a crash (unconfirmed, counted at expected cost).%n",
                        unconfirmed, proj.db().ledger().unconfirmedCalls());
            if (unstored > 0)
                out.printf("%d paid repl%s kept in %s while the database was away; 'brun generate' stores them first (not paid again).%n",
                        unstored, unstored == 1 ? "y" : "ies", spool.file());
            out.printf("Cache: %.0f%% of prompt tokens read from cache; saved $%.4f against no caching ($%.4f without it).%n",
                    hitRate * 100, saved, cache.withoutCachingUsd());
            DiscardedSpend.lines(discarded).forEach(out::println);
            if (!failures.isEmpty()) {
                out.println();
                Table f = new Table("failure reason", "units", "example");
                failures.forEach(x -> f.row(x.reason(), x.count(), shortExample(x.example())));
                f.print(out);
                out.println("Retry them with: " + Invocation.of(spec).command() + " generate --retry-failed");
            }
        }
        return 0;
    }

    private static long get(Map<String, Long> m, UnitState s) { return m.getOrDefault(s.wire(), 0L); }

    /** Who holds the leased units, so that a unit left by a stopped run does not look stuck; null when none is leased. */
    /** One line of the example detail: the table stays readable, the whole text is in --json. */
    static String shortExample(String example) {
        if (example == null || example.isBlank()) return "";
        String line = example.strip().replaceAll("\\s+", " ");
        return line.length() > 100 ? line.substring(0, 99) + "…" : line;
    }

    static String leasedNote(List<UnitRecord> leased) {
        if (leased.isEmpty()) return null;
        long inBatches = leased.stream().filter(u -> u.batchId() != null).count();
        long orphaned = leased.stream().filter(u -> u.batchId() == null
                && LeaseOwner.parse(u.leaseOwner()).map(LeaseOwner::deadOnThisHost).orElse(false)).count();
        long running = leased.size() - inBatches - orphaned;
        List<String> parts = new ArrayList<>();
        if (running > 0) {
            Instant until = leased.stream().filter(u -> u.batchId() == null && u.leaseUntil() != null)
                    .map(UnitRecord::leaseUntil).max(Comparator.naturalOrder()).orElse(null);
            parts.add(running + " by a generate that is running (here or on another machine; free again when its lease ends"
                    + (until == null ? "" : ", at the latest " + until.truncatedTo(ChronoUnit.SECONDS)) + ")");
        }
        if (orphaned > 0) parts.add(orphaned + " left by a generate that is no longer running (the next 'brun generate' takes them back)");
        if (inBatches > 0) parts.add(inBatches + " in Message Batches (see 'brun batches')");
        return "Leased units: " + String.join("; ", parts) + ".";
    }
}

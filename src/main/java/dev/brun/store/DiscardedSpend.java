package dev.brun.store;

import java.util.List;
import java.util.Locale;

/**
 * Paid replies that ended as no conversation, for one reason: how many and what they cost. The reason is the
 * unit's failure reason; a unit stored on a later attempt shows its earlier discarded calls as "retried_later".
 */
public record DiscardedSpend(String reason, long replies, double costUsd) {
    /** One line per reason, e.g. "discarded: 3 replies, $0.14, no_exchange". */
    public static List<String> lines(List<DiscardedSpend> all) {
        return all.stream().map(d -> String.format(Locale.ROOT, "discarded: %d repl%s, $%.2f, %s",
                d.replies(), d.replies() == 1 ? "y" : "ies", d.costUsd(), d.reason())).toList();
    }
}

package dev.brun.run;

import dev.brun.pack.Arc;
import dev.brun.plan.OutputBudget;
import dev.brun.store.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The max_tokens each arc's calls ask for: {@link OutputBudget#maxTokens(Arc, List)} over the conversations this
 * project has stored so far, read again at most every {@link #REFRESH} so a long run tightens the limit as the
 * evidence arrives (and several processes on one database follow the same evidence). Thread-safe.
 */
final class OutputLimits {
    static final Duration REFRESH = Duration.ofSeconds(30);

    private final Database db;
    private final Clock clock;
    private Map<String, List<Long>> outputsByArc = Map.of();
    private Instant readAt;

    OutputLimits(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    synchronized int maxTokens(Arc arc) {
        Instant now = clock.instant();
        if (readAt == null || !now.isBefore(readAt.plus(REFRESH))) {
            outputsByArc = db.conversations().generatedOutputTokensByArc();
            readAt = now;
        }
        return OutputBudget.maxTokens(arc, outputsByArc.get(arc.key()));
    }
}

package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.pack.Pack;

import java.util.List;

/** The arc says how many exchanges it takes; a conversation outside that range did not play the arc out. */
public final class TurnCountCheck implements Check {
    public static final String CODE = "turn_count";

    @Override public List<String> codes() { return List.of(CODE); }

    @Override
    public List<QualityFlag> check(Conversation c, Pack pack) {
        if (c.scaffolding() == null) return List.of();
        var arc = pack.arc(c.scaffolding().arcKey());
        if (arc.isEmpty()) return List.of();
        int n = c.turns().size();
        int min = arc.get().minTurns(), max = arc.get().maxTurns();
        if (n >= min && n <= max) return List.of();
        return List.of(QualityFlag.of(CODE, Severity.ERROR, n + " turns, outside the " + min + "–" + max
                + " the arc '" + arc.get().key() + "' takes (" + arc.get().minExchanges() + "–" + arc.get().maxExchanges() + " exchanges)", null));
    }
}

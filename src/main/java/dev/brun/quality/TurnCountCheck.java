package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.pack.Pack;

import java.util.List;

/**
 * The arc says how many exchanges it takes; a conversation outside that range did not play the arc out. One
 * exchange off is a warning (generation keeps such paid replies as usable), further off an error.
 */
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
        int exchanges = n / 2;
        boolean oneOff = exchanges == arc.get().minExchanges() - 1 || exchanges == arc.get().maxExchanges() + 1;
        return List.of(QualityFlag.of(CODE, oneOff ? Severity.WARNING : Severity.ERROR, n + " turns, outside the " + min + "–" + max
                + " the arc '" + arc.get().key() + "' takes (" + arc.get().minExchanges() + "–" + arc.get().maxExchanges() + " exchanges)", null));
    }
}

package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.pack.Pack;

import java.util.List;

/** One family of quality checks on a single conversation. */
public interface Check {
    /** The flag codes this check can raise (stable: stored, filtered on and exported). */
    List<String> codes();

    List<QualityFlag> check(Conversation conversation, Pack pack);
}

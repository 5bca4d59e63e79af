package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Scores;
import dev.brun.pack.Pack;

import java.util.List;

/** Rubric scores for one conversation; flags are the checker's findings on it (scorers may use them). */
public interface Scorer {
    Scores score(Conversation conversation, Pack pack, List<QualityFlag> flags);
}

package dev.brun.cli;

import dev.brun.conversation.QualityFlag;
import dev.brun.project.Project;
import dev.brun.quality.ConversationChecker;
import dev.brun.quality.HeuristicScorer;
import dev.brun.run.ConversationHook;

import java.util.List;

/** The checks generate runs on each new conversation: per-conversation flags and heuristic scores. */
final class QualityHooks {
    private QualityHooks() {}

    static ConversationHook forProject(Project project) {
        ConversationChecker checker = ConversationChecker.standard();
        HeuristicScorer scorer = new HeuristicScorer();
        return conversation -> {
            List<QualityFlag> flags = checker.check(conversation, project.pack());
            project.db().quality().replaceFlags(conversation.id(), flags);
            project.db().quality().putScores(conversation.id(), scorer.score(conversation, project.pack(), flags));
        };
    }
}

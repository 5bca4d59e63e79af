package dev.brun.cli;

import dev.brun.project.Project;
import dev.brun.run.ConversationHook;

/** The checks generate runs on each new conversation (wired to the quality package). */
final class QualityHooks {
    private QualityHooks() {}

    static ConversationHook forProject(Project project) {
        return ConversationHook.NONE;
    }
}

package dev.brun.run;

import dev.brun.llm.LlmClient;
import dev.brun.pack.Phase;
import dev.brun.project.Project;
import dev.brun.prompt.PromptBuilder;

import java.util.Map;

/** Builds an engine for a project the same way for the CLI and the web page. */
public final class GenerationRuns {
    private GenerationRuns() {}

    public static GenerationEngine engine(Project project, LlmClient client, EngineSettings settings,
                                          ProgressListener listener, ConversationHook hook, String modelOverride) {
        Map<Phase, PromptBuilder> builders = new java.util.concurrent.ConcurrentHashMap<>();
        return new GenerationEngine(project.db(), project.pack(), client, project.prices(),
                phase -> modelOverride != null ? modelOverride : project.model(phase),
                project::temperature,
                phase -> builders.computeIfAbsent(phase, p -> new PromptBuilder(project.pack())),
                settings, listener, hook);
    }
}

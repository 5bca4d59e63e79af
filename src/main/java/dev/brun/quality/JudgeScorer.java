package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Scores;
import dev.brun.pack.Pack;

import java.util.List;

/** Scores through an LLM judge: the rubric from {@link JudgePrompt}, the call through {@link LlmJudge}. */
public final class JudgeScorer implements Scorer {
    private final LlmJudge judge;
    private final String model;

    public JudgeScorer(LlmJudge judge, String model) {
        this.judge = judge;
        this.model = model;
    }

    @Override
    public Scores score(Conversation conversation, Pack pack, List<QualityFlag> flags) {
        String reply = judge.complete(JudgePrompt.system(pack), JudgePrompt.user(conversation, pack), JudgePrompt.replySchema());
        return JudgePrompt.parse(reply, model);
    }
}

package dev.brun.web;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;
import dev.brun.pack.Arc;
import dev.brun.pack.Pack;
import dev.brun.project.PackCopier;
import dev.brun.project.Project;
import dev.brun.project.ProjectConfig;
import dev.brun.project.ProjectConfigWriter;
import dev.brun.store.LedgerEntry;
import dev.brun.store.LedgerOutcome;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real project folder (default pack, SQLite) seeded with hand-written conversations, one of them hostile. */
final class WebFixture {
    static final String XSS_ID = "conv-xss";
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String IMG = "<img src=x onerror=alert(1)>";
    static final String FLAGGED_ID = "conv-002";

    private WebFixture() {}

    /** Creates the project in dir and seeds count ordinary conversations plus the hostile one (listed first). */
    static Project create(Path dir, int count) {
        Pack pack = PackCopier.copy("financial-planning", dir.resolve("pack"));
        ProjectConfigWriter.write(dir, ProjectConfig.defaults(pack));
        Project project = Project.open(dir);
        var db = project.db();
        db.conversations().insertImported(conversation(pack, XSS_ID, 0, 0, 0,
                "Hi " + SCRIPT + " my name is " + IMG, "Hello, I read: " + SCRIPT + IMG));
        db.quality().putScores(XSS_ID, new Scores(4, 4, 4, 4, 4.0, "heuristic", Map.of()));
        db.quality().replaceFlags(XSS_ID, List.of(QualityFlag.of("odd_markup", Severity.WARNING, "contains " + IMG, 0)));
        for (int i = 1; i <= count; i++) {
            String id = String.format("conv-%03d", i);
            int p = i % pack.personas().size(), a = i % pack.arcs().size(), t = i % pack.topics().size();
            db.conversations().insertImported(conversation(pack, id, p, a, t,
                    "I am worried about my savings, case " + i + ". Where do I start?",
                    "Let's look at it together, step by step (case " + i + ")."));
            db.quality().putScores(id, new Scores(3 + i % 3, 4, 4, 3, 2.5 + (i % 5) * 0.5, "heuristic", Map.of()));
        }
        if (count >= 2) db.quality().replaceFlags(FLAGGED_ID, List.of(
                QualityFlag.of("truncated", Severity.ERROR, "the reply ends mid-sentence", 3),
                QualityFlag.of("persona_mismatch", Severity.WARNING, "user says 52, persona is 42", null)));
        // A few billed calls over three days, so the spend charts have something to show.
        java.time.Instant now = java.time.Instant.now();
        String[] phases = {"seed", "seed", "expansion", "seed", "expansion", "edge"};
        for (int i = 0; i < phases.length; i++)
            db.ledger().record(new LedgerEntry(null, "unit-" + i, phases[i], "anthropic", "claude-sonnet-4-5", "req-" + i,
                    2000, 1500, 0, 0, 0.02 + i * 0.01, false, LedgerOutcome.STORED,
                    now.minus(java.time.Duration.ofDays(i % 3))));
        return project;
    }

    static Conversation conversation(Pack pack, String id, int persona, int arc, int topic, String userText, String replyText) {
        Arc a = pack.arcs().get(arc);
        List<String> stages = a.stageKeys();
        Scaffolding s = new Scaffolding(pack.personas().get(persona).key(), a.key(), pack.topics().get(topic).key(), 0, "seed");
        List<Turn> turns = List.of(
                Turn.user(0, userText, new Emotion("anxious", "worried", 0.7, 0.8, Valence.NEGATIVE)),
                Turn.assistant(1, replyText, stages.getFirst(), "name the worry", List.of("validation")),
                Turn.user(2, "Thank you, that helps. What should I do first?", new Emotion("hopeful", null, 0.5, 0.7, Valence.POSITIVE)),
                Turn.assistant(3, "First, list your monthly costs; then we set a small emergency fund goal.",
                        stages.getLast(), "a first concrete step", List.of("planning")));
        return new Conversation(id, null, s, "A first call about savings.", "The client leaves with one step.", turns,
                Source.IMPORTED, null, null);
    }

    /** A GenerationJobs for tests that must not start generation. */
    static GenerationJobs noGeneration() {
        return new GenerationJobs() {
            @Override public String start(GenerationOrder order) { throw new IllegalStateException("generation is not part of this test"); }
            @Override public boolean cancel(String jobId) { return false; }
            @Override public void close() {}
        };
    }
}

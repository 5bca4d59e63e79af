package dev.brun.cli;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;
import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** brun report's calibration of automated verdicts, over a hand-labelled set stored the way reviewers leave it. */
class CalibrationReportTest {
    @TempDir Path tmp;

    static Conversation conversation(Pack pack, String id, int i) {
        var arc = pack.arcs().get(i % pack.arcs().size());
        Scaffolding s = new Scaffolding(pack.personas().get(i % pack.personas().size()).key(), arc.key(),
                pack.topics().get(i % pack.topics().size()).key(), 0, "seed");
        List<Turn> turns = List.of(
                Turn.user(0, "I worry about my savings, case " + i + ".", new Emotion("anxious", null, 0.7, 0.8, Valence.NEGATIVE)),
                Turn.assistant(1, "Let's look at it together (case " + i + ").", arc.stageKeys().getFirst(), "name the worry", List.of("validation")));
        return new Conversation(id, null, s, "A first call.", "One step.", turns, Source.IMPORTED, null, null);
    }

    /**
     * Ten reviewed conversations: c01-c03 rejected, c04 edited then approved (a defect too), c05-c10 approved as they were;
     * c11 is flagged but never reviewed, so it counts nowhere. truncated (error) is on c01, c02, c05 and c11.
     */
    private Path labelledProject() {
        Path project = TestProject.create(tmp.resolve("p"));
        Pack pack = PackLoader.load(project.resolve("pack"));
        double[] overall = {2.0, 2.5, 3.0, 4.5, 3.5, 4.0, 4.0, 4.5, 5.0, 3.0, 1.0};
        try (Database db = TestProject.open(project)) {
            for (int i = 1; i <= 11; i++) {
                String id = String.format("c%02d", i);
                db.conversations().insertImported(conversation(pack, id, i));
                db.quality().putScores(id, new Scores(3, 3, 3, 3, overall[i - 1], "heuristic", Map.of()));
                if (i == 1 || i == 2 || i == 5 || i == 11)
                    db.quality().replaceFlags(id, List.of(QualityFlag.of("truncated", Severity.ERROR, "ends mid-sentence", 1)));
                if (i == 6) db.quality().replaceFlags(id, List.of(QualityFlag.of("length_outlier", Severity.WARNING, "long", null)));
                if (i <= 3) db.reviews().setStatus(id, ReviewStatus.REJECTED, "ana");
                else if (i <= 10) {
                    if (i == 4) db.reviews().editTurn(id, 1, "A better reply.", "ana");
                    db.reviews().setStatus(id, ReviewStatus.APPROVED, "ana");
                }
            }
        }
        return project;
    }

    @Test
    void confusionCountsAndKappaEqualTheHandWorkedValues() throws Exception {
        Path project = labelledProject();
        CliRun run = TestProject.run(project, "report", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode cal = TestProject.json(run.out()).get("calibration");
        assertThat(cal.get("decisions").asInt()).isEqualTo(10);
        assertThat(cal.get("defects").asInt()).isEqualTo(4);

        JsonNode truncated = signal(cal, "check:truncated");
        // TP c01 c02, FP c05, FN c03 c04, TN c06-c10.
        assertThat(List.of(truncated.get("true_positive").asInt(), truncated.get("false_positive").asInt(),
                truncated.get("false_negative").asInt(), truncated.get("true_negative").asInt())).containsExactly(2, 1, 2, 5);
        // po = 0.7; pe = 0.3 * 0.4 + 0.7 * 0.6 = 0.54; kappa = 0.16 / 0.46 = 0.3478.
        assertThat(truncated.get("kappa").asDouble()).isEqualTo(0.348);
        assertThat(truncated.get("precision").asDouble()).isEqualTo(0.667);
        assertThat(truncated.get("recall").asDouble()).isEqualTo(0.5);
        assertThat(truncated.get("n").asInt()).isEqualTo(10);
        assertThat(truncated.get("qualifies").asBoolean()).isFalse();

        // Rejecting at overall <= 3.0 takes c01 c02 c03 and c10: TP 3, FP 1, FN 1 (c04), TN 5;
        // po = 0.8, pe = 0.4 * 0.4 + 0.6 * 0.6 = 0.52, kappa = 0.28 / 0.48 = 0.5833, the best of every cut.
        JsonNode heuristic = signal(cal, "score:heuristic");
        assertThat(heuristic.get("threshold").asDouble()).isGreaterThan(3.0).isLessThan(3.5);
        assertThat(List.of(heuristic.get("true_positive").asInt(), heuristic.get("false_positive").asInt(),
                heuristic.get("false_negative").asInt(), heuristic.get("true_negative").asInt())).containsExactly(3, 1, 1, 5);
        assertThat(heuristic.get("kappa").asDouble()).isCloseTo(7.0 / 12, offset(0.001));
        assertThat(heuristic.get("qualifies").asBoolean()).isFalse();
        assertThat(heuristic.get("gate_reason").asString()).isEqualTo("only 10 reviewed decisions (needs 50)");
        assertThat(cal.get("qualifying_signals")).isEmpty();
        assertThat(cal.toString()).doesNotContain("length_outlier"); // a warning never rejects, so it is not a signal
    }

    @Test
    void theTextAndHtmlReportsShowTheSameNumbersAndTheRule() throws Exception {
        Path project = labelledProject();
        Path html = tmp.resolve("report.html");
        CliRun run = TestProject.run(project, "report", "--html", html.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Automated verdicts against reviewers (10 conversations approved or rejected by a person, 4 defects")
                .containsPattern("check:truncated +the flag is set +2 +1 +2 +5 +0\\.67 +0\\.50 +0\\.35 +10 ")
                .contains("No signal qualifies for automatic rejection.")
                .contains("never applied: only 10 reviewed decisions (needs 50)")
                .contains("kappa with reviewers is >= 0.6 over >= 50 reviewed decisions");
        String page = Files.readString(html);
        assertThat(page).contains("<h2>Automated verdicts against reviewers</h2>")
                .contains("<td>check:truncated</td><td>the flag is set</td><td class=\"n\">2</td><td class=\"n\">1</td>"
                        + "<td class=\"n\">2</td><td class=\"n\">5</td><td class=\"n\">0.67</td><td class=\"n\">0.50</td><td class=\"n\">0.35</td>")
                .contains("overall &lt;= 3.00").contains("No signal qualifies for automatic rejection.");
    }

    private static JsonNode signal(JsonNode cal, String name) {
        for (JsonNode s : cal.get("signals")) if (s.get("signal").asString().equals(name)) return s;
        throw new AssertionError("no signal " + name + " in " + cal);
    }
}

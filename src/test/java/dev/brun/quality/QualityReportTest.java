package dev.brun.quality;

import dev.brun.conversation.Generation;
import dev.brun.pack.Minimums;
import dev.brun.pack.Pack;
import dev.brun.pack.Rules;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QualityReportTest {
    @Test
    void summarizesFlagsScoresCoverageAndCostOverTheRealConversations() {
        Pack base = TestPack.financialPlanning();
        Pack pack = new Pack(base.name(), base.hash(), base.consultant(), base.personas(), base.arcs(), base.topics(),
                new Rules(List.of(), new Minimums(4, 5, 3), Map.of()));
        var checker = ConversationChecker.standard();
        var scorer = new HeuristicScorer();
        List<QualityReport.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            var c = Fixtures.byId(String.format("real-%02d", i));
            var flags = checker.check(c, pack);
            entries.add(new QualityReport.Entry(c, flags, scorer.score(c, pack, flags),
                    new Generation("anthropic", "claude-sonnet-4-5", 0.7, 3000, 2000, 0, 0, 0.10, 1000, "end_turn", 1, "r" + i)));
        }

        var report = QualityReport.build(pack, entries, QualityReport.Options.defaults());

        // errors: persona (00, 02, 03, 05, 09, 14) and a missing last reply (04, 08, 14, 17) -> 9 conversations out
        assertThat(report.conversations()).isEqualTo(18);
        assertThat(report.usable()).isEqualTo(9);
        assertThat(report.flagsByCode().get("persona_mismatch").conversations()).isEqualTo(6);
        assertThat(report.flagsByCode().get("role_order").conversations()).isEqualTo(4);
        assertThat(report.totalCostUsd()).isCloseTo(1.8, within(1e-9));
        assertThat(report.costPerUsableUsd()).isCloseTo(0.2, within(1e-9));
        var personas = report.scoreHistograms().get("persona");
        assertThat(personas).containsOnlyKeys("anxious_planner", "overwhelmed_avoider", "pragmatic_optimist");
        assertThat(personas.values().stream().mapToInt(QualityReport.Histogram::scored).sum()).isEqualTo(18);
        var avoider = report.coverage().stream().filter(c -> c.key().equals("overwhelmed_avoider")).findFirst().orElseThrow();
        // the avoider's six conversations: 02, 03, 05, 09 contradict the persona, 17 lacks its last reply; only 01 is usable
        assertThat(avoider.usable()).isEqualTo(1);
        assertThat(avoider.missing()).isEqualTo(3);
        assertThat(report.gaps()).contains(avoider);
        assertThat(report.diversity().overall().conversations()).isEqualTo(9);
    }
}

package dev.brun.export;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The defect report of the reference training file, checked against counts the test makes itself. */
class DefectReportTest {
    private static final Path SAMPLE = TestPacks.REFERENCE.resolve("training-files/sample-18-conversations.json");

    @Test
    void reportsExactlyTheDefectsOfTheReferenceTrainingFile() throws Exception {
        JsonNode root = JsonMapper.builder().build().readTree(SAMPLE.toFile());
        int pairs = 0, nullTargets = 0, historyRepeats = 0, objectiveIsTopic = 0, skillsArePersonas = 0, truncated = 0;
        Set<Double> scores = new HashSet<>();
        Map<String, Integer> ids = new HashMap<>();
        Set<String> personaKeys = Set.of("anxious_planner", "overwhelmed_avoider", "pragmatic_optimist");
        int contradictions = 0;
        for (JsonNode c : root.get("conversations")) {
            String backgroundAge = null;
            Set<String> statedAges = new HashSet<>();
            for (JsonNode p : c.get("training_pairs")) {
                pairs++;
                ids.merge(p.get("id").asString(), 1, Integer::sum);
                JsonNode target = p.get("target_response");
                if (target.isNull() || target.asString().isBlank()) nullTargets++;
                else {
                    char last = target.asString().strip().charAt(target.asString().strip().length() - 1);
                    if (".!?".indexOf(last) < 0) truncated++;
                }
                JsonNode history = p.get("conversation_history");
                if (!history.isEmpty() && history.get(history.size() - 1).get("content").asString().equals(p.get("current_user_input").asString()))
                    historyRepeats++;
                JsonNode tm = p.get("training_metadata");
                scores.add(tm.get("quality_score").doubleValue());
                if (tm.get("key_learning_objective").asString().equals(p.get("conversation_metadata").get("training_topic_key").asString()))
                    objectiveIsTopic++;
                boolean allPersonas = !tm.get("demonstrates_skills").isEmpty();
                for (JsonNode s : tm.get("demonstrates_skills")) allPersonas &= personaKeys.contains(s.asString());
                if (allPersonas) skillsArePersonas++;
                String bg = p.get("conversation_metadata").get("client_background").asString();
                Matcher age = Pattern.compile("^Age (\\d+)").matcher(bg);
                if (age.find()) backgroundAge = age.group(1);
                Matcher said = Pattern.compile("I'm (\\d\\d)[ ,]").matcher(p.get("current_user_input").asString());
                while (said.find()) statedAges.add(said.group(1));
            }
            String bgAge = backgroundAge;
            if (statedAges.stream().anyMatch(a -> !a.equals(bgAge))) contradictions++;
        }
        int duplicatePairIds = ids.values().stream().filter(n -> n > 1).mapToInt(Integer::intValue).sum();

        DefectReport report = new Importer(TestPacks.financialPlanning()).read(SAMPLE).defects();

        assertThat(pairs).isEqualTo(128);
        assertThat(report.count(DefectKind.NULL_TARGET)).isEqualTo(nullTargets).isEqualTo(66);
        assertThat(report.count(DefectKind.DUPLICATE_PAIR_ID)).isEqualTo(duplicatePairIds);
        assertThat(report.count(DefectKind.DUPLICATED_HISTORY_TURN)).isEqualTo(historyRepeats).isPositive();
        assertThat(scores).hasSize(1);
        assertThat(report.count(DefectKind.CONSTANT_QUALITY_SCORE)).isEqualTo(pairs);
        assertThat(report.count(DefectKind.LEARNING_OBJECTIVE_IS_TOPIC_KEY)).isEqualTo(objectiveIsTopic).isEqualTo(pairs);
        assertThat(report.count(DefectKind.SKILLS_ARE_PERSONA_KEYS)).isEqualTo(skillsArePersonas).isEqualTo(pairs);
        assertThat(report.count(DefectKind.PERSONA_CONTRADICTION)).isEqualTo(contradictions).isEqualTo(3);
        assertThat(report.count(DefectKind.TRUNCATED_REPLY)).isEqualTo(truncated);
        // The test pack defines every key and stage the file uses.
        assertThat(report.count(DefectKind.UNKNOWN_PERSONA)).isZero();
        assertThat(report.count(DefectKind.UNKNOWN_ARC)).isZero();
        assertThat(report.count(DefectKind.UNKNOWN_TOPIC)).isZero();
        assertThat(report.count(DefectKind.SCHEMA_VIOLATION)).isZero();
        assertThat(report.defects().get(DefectKind.PERSONA_CONTRADICTION).examples()).anyMatch(e -> e.contains("age 42") && e.contains("I'm 52"));
    }

    @Test
    void reportsSchemaViolationsAgainstThePublishedEnumsWithoutAPack() throws Exception {
        JsonNode root = JsonMapper.builder().build().readTree(SAMPLE.toFile());
        List<String> publishedArcs = List.of("confusion_to_clarity", "shame_to_acceptance", "fear_to_confidence", "overwhelm_to_empowerment");
        List<String> publishedPhases = List.of("initial_opportunity_exploration", "initial_shame_revelation", "initial_crisis_disclosure",
                "exploring_deeper_concern", "practical_implementation", "commitment_and_closure");
        int expected = 0;
        for (JsonNode c : root.get("conversations")) {
            if (!publishedArcs.contains(c.get("conversation_metadata").get("scaffolding").get("emotional_arc_key").asString())) expected++;
            for (JsonNode p : c.get("training_pairs")) {
                JsonNode m = p.get("conversation_metadata");
                if (!publishedArcs.contains(m.get("emotional_arc_key").asString())) expected++;
                if (!publishedPhases.contains(m.get("conversation_phase").asString())) expected++;
            }
        }

        DefectReport report = new Importer(null).read(SAMPLE).defects();

        assertThat(expected).isPositive();
        assertThat(report.count(DefectKind.SCHEMA_VIOLATION)).isEqualTo(expected);
        assertThat(report.count(DefectKind.UNKNOWN_ARC)).as("no pack, no key check").isZero();
    }

    @Test
    void flagsUnknownKeysAndTruncatedRepliesAndKeepsHandWrittenSeedsFreeOfConstantScoreNoise() {
        Importer.ImportResult seed = new Importer(TestPacks.financialPlanning()).read(TestPacks.REFERENCE.resolve("seed-conversations/convo-01.json"));
        assertThat(seed.defects().count(DefectKind.CONSTANT_QUALITY_SCORE)).isZero();
        assertThat(seed.defects().count(DefectKind.UNKNOWN_PERSONA)).isZero();
        assertThat(seed.defects().count(DefectKind.UNKNOWN_ARC)).isEqualTo(1);
        assertThat(seed.defects().count(DefectKind.UNKNOWN_TOPIC)).isEqualTo(1);
        assertThat(DefectScanner.looksTruncated("That is why we start with the emergency fund, and then")).isTrue();
        assertThat(DefectScanner.looksTruncated("Does that feel doable?\"")).isFalse();
        assertThat(DefectScanner.looksTruncated("You've got this. **One step at a time.**")).isFalse();
    }
}

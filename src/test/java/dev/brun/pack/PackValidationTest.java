package dev.brun.pack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PackValidationTest {
    @TempDir Path tmp;

    private PackFixture pack() { return PackFixture.copyOfDefault(tmp); }

    private static PackProblem only(List<PackProblem> problems) {
        assertThat(problems).hasSize(1);
        return problems.getFirst();
    }

    private static void assertAt(PackProblem p, Location where, String field) {
        assertThat(p.file()).isEqualTo(where.file());
        assertThat(p.line()).as("line of %s", p).isEqualTo(where.line());
        assertThat(p.column()).as("column of %s", p).isEqualTo(where.column());
        assertThat(p.field()).isEqualTo(field);
    }

    @Test
    void tenPlantedMistakesGiveExactlyTenPreciseProblems() {
        PackFixture f = pack()
                // 1 unknown key
                .edit("consultant.yaml", "credentials: CFP", "credential: CFP")
                // 2 missing field
                .edit("personas/overwhelmed_avoider.yaml", "occupation: senior software engineer at a mid-size software company\n", "")
                // 3 wrong type
                .edit("personas/anxious_planner.yaml", "age: 42", "age: forty-two")
                // 4 duplicate YAML key
                .edit("personas/pragmatic_optimist.yaml", "gender: male\n", "gender: male\ngender: male\n")
                // 5 empty string
                .edit("arcs/confusion_to_clarity.yaml", "strategy: >-\n  Make the confusion feel normal first, then teach: one idea at a time, in everyday words, checking\n  understanding before adding the next piece.\n", "strategy: \"\"\n")
                // 6 out-of-range number
                .edit("arcs/shame_to_acceptance.yaml", "intensity: 0.8", "intensity: 1.8")
                // 7 duplicate topic key
                .edit("topics.yaml", "- key: spending_priorities", "- key: vacation_vs_debt_payoff")
                // 8 rule naming an unknown topic, 9 unreachable minimum
                .edit("rules.yaml", "exclude: []", """
                        exclude:
                          - {persona: overwhelmed_avoider, topic: tax_loss_harvest, reason: planted mistake}
                          - {persona: pragmatic_optimist, reason: every combination of David excluded}
                        """)
                // 10 malformed YAML
                .edit("pack.yaml", "name: financial-planning", "name: [financial-planning");

        List<PackProblem> problems = f.problems();
        assertThat(problems).hasSize(10);
        assertThat(problems).extracting(PackProblem::file).containsExactlyInAnyOrder("arcs/confusion_to_clarity.yaml",
                "arcs/shame_to_acceptance.yaml", "consultant.yaml", "pack.yaml", "personas/pragmatic_optimist.yaml",
                "personas/anxious_planner.yaml", "personas/overwhelmed_avoider.yaml", "rules.yaml", "rules.yaml", "topics.yaml");

        assertAt(find(problems, "consultant.yaml"), f.position("consultant.yaml", "credential:"), "credential");
        assertThat(find(problems, "consultant.yaml").message()).contains("did you mean 'credentials'");
        assertAt(find(problems, "personas/overwhelmed_avoider.yaml"), f.position("personas/overwhelmed_avoider.yaml", "key: overwhelmed_avoider"), "occupation");
        assertThat(find(problems, "personas/overwhelmed_avoider.yaml").message()).contains("missing required key 'occupation'");
        assertAt(find(problems, "personas/anxious_planner.yaml"), f.position("personas/anxious_planner.yaml", "forty-two"), "age");
        assertThat(find(problems, "personas/anxious_planner.yaml").message()).contains("whole number");
        Location secondGender = f.position("personas/pragmatic_optimist.yaml", "gender: male\ngender", 13);
        assertAt(find(problems, "personas/pragmatic_optimist.yaml"), secondGender, "gender");
        assertThat(find(problems, "personas/pragmatic_optimist.yaml").message()).contains("duplicate key");
        assertAt(find(problems, "arcs/confusion_to_clarity.yaml"), f.position("arcs/confusion_to_clarity.yaml", "\"\""), "strategy");
        assertThat(find(problems, "arcs/confusion_to_clarity.yaml").message()).contains("empty");
        assertAt(find(problems, "arcs/shame_to_acceptance.yaml"), f.position("arcs/shame_to_acceptance.yaml", "1.8"), "start.intensity");
        assertThat(find(problems, "arcs/shame_to_acceptance.yaml").message()).contains("out of range");
        Location duplicateTopic = f.position("topics.yaml", "- key: vacation_vs_debt_payoff\n  name: Values", 7);
        assertAt(find(problems, "topics.yaml"), duplicateTopic, "key");
        assertThat(find(problems, "topics.yaml").message()).contains("already used");
        PackProblem unknownTopic = problems.stream().filter(p -> p.field().equals("exclude[1].topic")).findFirst().orElseThrow();
        assertAt(unknownTopic, f.position("rules.yaml", "tax_loss_harvest"), "exclude[1].topic");
        assertThat(unknownTopic.message()).contains("did you mean 'tax_loss_harvesting'");
        PackProblem minimum = problems.stream().filter(p -> p.field().equals("minimums.per_persona")).findFirst().orElseThrow();
        assertAt(minimum, f.position("rules.yaml", "100"), "minimums.per_persona");
        assertThat(minimum.message()).contains("pragmatic_optimist");
        PackProblem malformed = find(problems, "pack.yaml");
        assertThat(malformed.message()).startsWith("malformed YAML");
        assertThat(malformed.line()).isEqualTo(f.position("pack.yaml", "name: [").line() + 1);
    }

    private static PackProblem find(List<PackProblem> problems, String file) {
        return problems.stream().filter(p -> p.file().equals(file)).findFirst().orElseThrow();
    }

    @Test
    void exceptionMessageListsEveryProblemAsFileLineColumnFieldMessage() {
        PackFixture f = pack().edit("personas/anxious_planner.yaml", "age: 42", "age: 4.2")
                .edit("personas/pragmatic_optimist.yaml", "age: 34", "age: 12");
        PackValidationException e = catchThrowableOfType(PackValidationException.class, f::load);
        assertThat(e.problems()).hasSize(2);
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e).isInstanceOf(dev.brun.BadInputException.class);
        Location age = f.position("personas/pragmatic_optimist.yaml", "12");
        assertThat(e.getMessage()).contains("has 2 problems:")
                .contains("personas/pragmatic_optimist.yaml:" + age.line() + ":" + age.column() + ": age: 12 is out of range; expected between 18 and 110");
    }

    @Test
    void unknownKeyFarFromAnyKnownKeyListsTheKnownKeys() {
        PackFixture f = pack().edit("personas/overwhelmed_avoider.yaml", "gender: male", "gender: male\nshoe_size: 44");
        PackProblem p = only(f.problems());
        assertAt(p, f.position("personas/overwhelmed_avoider.yaml", "shoe_size"), "shoe_size");
        assertThat(p.message()).contains("unknown key 'shoe_size'").contains("known keys here:").contains("occupation");
    }

    @Test
    void unknownNestedKeyNamesItsPath() {
        PackFixture f = pack().edit("personas/overwhelmed_avoider.yaml", "  max: 160000", "  maximum: 160000");
        List<PackProblem> problems = f.problems();
        assertThat(problems).extracting(PackProblem::field).containsExactlyInAnyOrder("income.max", "income.maximum");
        assertThat(problems).filteredOn(p -> p.field().equals("income.maximum"))
                .singleElement().extracting(PackProblem::message).asString().contains("did you mean 'max'");
    }

    @Test
    void missingFieldIsReportedAtItsMapping() {
        PackFixture f = pack().edit("arcs/grief_to_healing.yaml", "exchanges: {min: 4, max: 5}", "exchanges: {min: 4}");
        PackProblem p = only(f.problems());
        assertAt(p, f.position("arcs/grief_to_healing.yaml", "{min: 4}"), "exchanges.max");
        assertThat(p.message()).isEqualTo("missing required key 'max'");
    }

    @Test
    void wrongTypeSaysWhatWasExpectedAndWhatCame() {
        PackFixture f = pack().edit("consultant.yaml", "tone:\n  - warm\n  - calm and unhurried\n  - professional without being stiff\n  - never condescending",
                "tone: warm");
        PackProblem p = only(f.problems());
        assertAt(p, f.position("consultant.yaml", "warm"), "tone");
        assertThat(p.message()).isEqualTo("expected a list of texts, got 'warm'");
    }

    @Test
    void quotedNumberIsTheWrongType() {
        PackFixture f = pack().edit("consultant.yaml", "years_experience: 15", "years_experience: \"15\"");
        assertThat(only(f.problems()).message()).contains("expected a whole number").contains("quoted");
    }

    @Test
    void duplicateKeyPointsAtTheSecondOccurrenceAndNamesTheFirstLine() {
        PackFixture f = pack().edit("rules.yaml", "  per_arc: 60\n", "  per_arc: 60\n  per_arc: 70\n");
        PackProblem p = only(f.problems());
        assertAt(p, f.position("rules.yaml", "per_arc: 70", 0), "minimums.per_arc");
        assertThat(p.message()).contains("first defined at line " + f.position("rules.yaml", "per_arc: 60").line());
    }

    @Test
    void emptyStringAndNullValuesAreReported() {
        PackFixture f = pack().edit("personas/pragmatic_optimist.yaml", "location: Sacramento, California", "location: \"  \"")
                .edit("personas/pragmatic_optimist.yaml", "gender: male", "gender:");
        List<PackProblem> problems = f.problems();
        assertThat(problems).extracting(PackProblem::field).containsExactlyInAnyOrder("location", "gender");
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).contains("empty"));
    }

    @Test
    void outOfRangeNumbersAreReported() {
        PackFixture f = pack()
                .edit("personas/overwhelmed_avoider.yaml", "age: 37", "age: 7")
                .edit("arcs/anxiety_to_confidence.yaml", "intensity: 0.7", "intensity: -0.1")
                .edit("rules.yaml", "temperature: 0.95", "temperature: 2.5")
                .edit("rules.yaml", "variations: 5", "variations: 0")
                .edit("arcs/grief_to_healing.yaml", "exchanges: {min: 4, max: 5}", "exchanges: {min: 6, max: 5}")
                .edit("personas/pragmatic_optimist.yaml", "  min: 65000\n  max: 85000", "  min: 95000\n  max: 85000");
        assertThat(f.problems()).extracting(p -> p.file() + " " + p.field()).containsExactlyInAnyOrder(
                "personas/overwhelmed_avoider.yaml age",
                "arcs/anxiety_to_confidence.yaml end.intensity",
                "rules.yaml phase_defaults.expansion.temperature",
                "rules.yaml phase_defaults.expansion.variations",
                "arcs/grief_to_healing.yaml exchanges.min",
                "personas/pragmatic_optimist.yaml income.min");
    }

    @Test
    void duplicatePersonaKeyAcrossFilesNamesTheFirstFile() {
        PackFixture f = pack().write("personas/zz_marcus_again.yaml", pack().read("personas/overwhelmed_avoider.yaml"));
        PackProblem p = only(f.problems());
        assertAt(p, f.position("personas/zz_marcus_again.yaml", "overwhelmed_avoider"), "key");
        assertThat(p.message()).contains("persona key 'overwhelmed_avoider' is already used in personas/overwhelmed_avoider.yaml");
    }

    @Test
    void duplicateArcKeyIsReported() {
        PackFixture f = pack().edit("arcs/shame_to_acceptance.yaml", "key: shame_to_acceptance", "key: grief_to_healing");
        PackProblem p = only(f.problems());
        assertThat(p.file()).isEqualTo("arcs/shame_to_acceptance.yaml");
        assertThat(p.message()).contains("arc key 'grief_to_healing' is already used in arcs/grief_to_healing.yaml");
    }

    @Test
    void duplicateStageKeyWithinAnArcIsReported() {
        PackFixture f = pack().edit("arcs/grief_to_healing.yaml", "- key: normalize_complex_feelings", "- key: loss_revelation");
        PackProblem p = only(f.problems());
        assertThat(p.field()).isEqualTo("stages[3].key");
        assertThat(p.message()).contains("appears twice");
    }

    @Test
    void rulesNamingUnknownPersonaAndArcAreReported() {
        PackFixture f = pack().edit("rules.yaml", "exclude: []", """
                exclude:
                  - {persona: overwhelmed_avoidr, arc: grief_to_heal, reason: typo}
                """);
        List<PackProblem> problems = f.problems();
        assertThat(problems).extracting(PackProblem::field).containsExactlyInAnyOrder("exclude[1].persona", "exclude[1].arc");
        assertThat(problems).extracting(PackProblem::message).anySatisfy(m -> assertThat(m).contains("did you mean 'overwhelmed_avoider'"));
        assertThat(problems).extracting(PackProblem::message).anySatisfy(m -> assertThat(m).contains("did you mean 'grief_to_healing'"));
    }

    @Test
    void exclusionThatNamesNothingIsRejected() {
        PackFixture f = pack().edit("rules.yaml", "exclude: []", "exclude:\n  - {reason: oops}\n");
        assertThat(only(f.problems()).message()).contains("would exclude every combination");
    }

    @Test
    void minimumAboveWhatTheVariationsCanPlanIsReported() {
        PackFixture f = pack().edit("rules.yaml", "per_topic: 30", "per_topic: 200");
        PackProblem p = only(f.problems());
        assertThat(p.field()).isEqualTo("minimums.per_topic");
        assertThat(p.message()).contains("15 allowed combinations x 7 variations").contains("= 105");
    }

    @Test
    void maxTurnsShorterThanTheLongestArcIsReported() {
        PackFixture f = pack().edit("rules.yaml", "    variations: 5\n    max_turns: 10", "    variations: 5\n    max_turns: 8");
        PackProblem p = only(f.problems());
        assertThat(p.field()).isEqualTo("phase_defaults.expansion.max_turns");
        assertThat(p.message()).contains("10 turns");
    }

    @Test
    void validExclusionsLowerTheCombinationCountWithoutProblems() {
        PackFixture f = pack().edit("rules.yaml", "exclude: []", """
                exclude:
                  - {persona: pragmatic_optimist, topic: roth_ira_conversion, reason: a teacher with a pension rarely faces this}
                """);
        Pack p = f.load();
        assertThat(PackSummary.of(p)).isEqualTo(new PackSummary(3, 5, 20, 295, 5));
        assertThat(p.rules().excluded("pragmatic_optimist", "grief_to_healing", "roth_ira_conversion")).isTrue();
    }

    @Test
    void malformedYamlIsReportedWithItsLocation() {
        PackFixture f = pack().edit("personas/overwhelmed_avoider.yaml", "gender: male", "gender: male\n  bad indent: [");
        List<PackProblem> problems = f.problems();
        assertThat(problems).isNotEmpty();
        PackProblem p = problems.stream().filter(x -> x.file().equals("personas/overwhelmed_avoider.yaml")).findFirst().orElseThrow();
        assertThat(p.message()).startsWith("malformed YAML");
        assertThat(p.line()).isBetween(f.position("personas/overwhelmed_avoider.yaml", "gender").line(),
                f.position("personas/overwhelmed_avoider.yaml", "bad indent").line());
    }

    @Test
    void missingFileAndEmptyFolderAreReported() {
        PackFixture f = pack().delete("rules.yaml");
        for (String a : List.of("anxiety_to_confidence", "confusion_to_clarity", "couple_conflict_to_alignment",
                "grief_to_healing", "shame_to_acceptance")) {
            f.delete("arcs/" + a + ".yaml");
        }
        assertThat(f.problems()).extracting(p -> p.file() + ":" + p.line() + ":" + p.column() + " " + p.field())
                .containsExactlyInAnyOrder("arcs/:1:1 (folder)", "rules.yaml:1:1 (file)");
    }

    @Test
    void badKeySyntaxSuggestsASnakeCaseKey() {
        PackFixture f = pack().edit("personas/overwhelmed_avoider.yaml", "key: overwhelmed_avoider", "key: Marcus Chen");
        assertThat(only(f.problems()).message()).contains("lower_snake_case").contains("'marcus_chen'");
    }

    @Test
    void unknownChoiceListsTheAllowedValues() {
        PackFixture f = pack().edit("arcs/grief_to_healing.yaml", "category: core", "category: central");
        assertThat(only(f.problems()).message()).isEqualTo("'central' is not one of core, edge");
    }

    @Test
    void topicsFileMustBeAList() {
        PackFixture f = pack().write("topics.yaml", "key: one_topic\n");
        assertThat(only(f.problems())).extracting(PackProblem::file, PackProblem::field).containsExactly("topics.yaml", "topics");
    }
}

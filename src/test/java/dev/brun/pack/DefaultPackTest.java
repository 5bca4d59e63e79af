package dev.brun.pack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultPackTest {
    private static final Path RESOURCES = Path.of("src/main/resources/packs");

    @Test
    void hasThreePersonasFiveArcsTwentyTopicsAndThreeHundredCombinations() {
        Pack pack = PackLoader.loadBuiltin("financial-planning");
        assertThat(pack.name()).isEqualTo("financial-planning");
        assertThat(pack.personas()).extracting(Persona::key)
                .containsExactlyInAnyOrder("overwhelmed_avoider", "anxious_planner", "pragmatic_optimist");
        assertThat(pack.arcs()).extracting(Arc::key).containsExactlyInAnyOrder("confusion_to_clarity",
                "shame_to_acceptance", "couple_conflict_to_alignment", "anxiety_to_confidence", "grief_to_healing");
        assertThat(pack.topics()).hasSize(20);
        assertThat(PackSummary.of(pack)).isEqualTo(new PackSummary(3, 5, 20, 300, 0));
        assertThat(pack.rules().exclusions()).isEmpty();
    }

    @Test
    void consultantIsElenaMoralesWithFivePrinciples() {
        Consultant c = PackLoader.loadBuiltin("financial-planning").consultant();
        assertThat(c.displayName()).isEqualTo("Elena Morales, CFP");
        assertThat(c.business()).isEqualTo("Pathways Financial Planning");
        assertThat(c.vertical()).isEqualTo("financial_planning_consultant");
        assertThat(c.yearsExperience()).isEqualTo(15);
        assertThat(c.principles()).extracting(Principle::key).containsExactly("feelings_before_facts",
                "judgment_free_space", "education_first", "progress_over_perfection", "values_aligned");
    }

    @Test
    void personasCarryTheReferenceFacts() {
        Pack pack = PackLoader.loadBuiltin("financial-planning");
        Persona marcus = pack.persona("overwhelmed_avoider").orElseThrow();
        assertThat(marcus.archetype()).isEqualTo("overwhelmed_avoider");
        assertThat(marcus.age()).isBetween(35, 40);
        assertThat(marcus.incomeRange()).isEqualTo("$120K-$160K");
        Persona jennifer = pack.persona("anxious_planner").orElseThrow();
        assertThat(jennifer.archetype()).isEqualTo("anxious_planner");
        assertThat(jennifer.age()).isBetween(40, 45);
        assertThat(jennifer.incomeRange()).isEqualTo("$100K-$140K");
        Persona david = pack.persona("pragmatic_optimist").orElseThrow();
        assertThat(david.archetype()).isEqualTo("pragmatic_optimist");
        assertThat(david.age()).isBetween(30, 38);
        assertThat(david.incomeRange()).isEqualTo("$65K-$85K");
        for (Persona p : pack.personas()) {
            // one age: the family and situation texts must not state a second, contradicting age
            assertThat(p.family() + " " + p.financialSituation()).doesNotContainPattern("\\b[1-9][0-9] ?(yo|years old)\\b");
            assertThat(p.typicalPhrases()).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void arcsFollowTheReferenceTurnRangesAndHaveThreeToFiveStages() {
        Pack pack = PackLoader.loadBuiltin("financial-planning");
        assertThat(pack.arc("confusion_to_clarity").orElseThrow()).extracting(Arc::minExchanges, Arc::maxExchanges).containsExactly(3, 5);
        assertThat(pack.arc("shame_to_acceptance").orElseThrow()).extracting(Arc::minExchanges, Arc::maxExchanges).containsExactly(4, 5);
        assertThat(pack.arc("couple_conflict_to_alignment").orElseThrow()).extracting(Arc::minExchanges, Arc::maxExchanges).containsExactly(3, 4);
        assertThat(pack.arc("anxiety_to_confidence").orElseThrow()).extracting(Arc::minExchanges, Arc::maxExchanges).containsExactly(3, 4);
        assertThat(pack.arc("grief_to_healing").orElseThrow()).extracting(Arc::minExchanges, Arc::maxExchanges).containsExactly(4, 5);
        for (Arc a : pack.arcs()) {
            assertThat(a.stages()).hasSizeBetween(3, 5);
            assertThat(a.category()).isEqualTo(ArcCategory.CORE);
            assertThat(a.startFamily()).startsWith(a.startEmotion());
            assertThat(a.endFamily()).startsWith(a.endEmotion());
        }
        assertThat(pack.arc("grief_to_healing").orElseThrow().startEmotion()).isEqualTo("grief");
    }

    @Test
    void topicsAreTheTwentySelectedOnesWithFourToEightKeyTerms() throws IOException {
        Pack pack = PackLoader.loadBuiltin("financial-planning");
        Path reference = Stream.of("../shared", "../../shared", "/work/shared")
                .map(d -> Path.of(d, "reference/scaffolding/selected-topics-20.json"))
                .filter(Files::isRegularFile).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(reference != null, "reference files not present");
        String selected = Files.readString(reference);
        assertThat(pack.topics()).extracting(Topic::key).doesNotHaveDuplicates();
        for (Topic t : pack.topics()) {
            assertThat(selected).contains("\"topic_key\": \"" + t.key() + "\"");
            assertThat(t.keyTerms()).hasSizeBetween(4, 8);
        }
    }

    @Test
    void wordingIsOurOwnNotCopiedFromTheReference() throws IOException {
        Path reference = Stream.of("../shared", "../../shared", "/work/shared")
                .map(d -> Path.of(d, "reference")).filter(Files::isDirectory).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(reference != null, "reference files not present");
        Set<String> referenceRuns = new HashSet<>();
        try (Stream<Path> files = Files.walk(reference)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) referenceRuns.addAll(wordRuns(Files.readString(f)));
        }
        List<String> copied = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.walk(RESOURCES.resolve("financial-planning"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(f)) {
                    // keys, names, categories and models are facts shared with the reference on purpose
                    if (line.matches("\\s*-?\\s*(key|name|category|complexity|model):.*")) continue;
                    for (String run : wordRuns(line)) if (referenceRuns.contains(run)) copied.add(f.getFileName() + ": " + run);
                }
            }
        }
        assertThat(copied).isEmpty();
    }

    /** Every run of six consecutive words, lower case. */
    private static Set<String> wordRuns(String text) {
        List<String> words = java.util.Arrays.stream(text.toLowerCase(java.util.Locale.ROOT).split("[^a-z0-9']+"))
                .filter(w -> !w.isEmpty()).toList();
        Set<String> runs = new HashSet<>();
        for (int i = 0; i + 6 <= words.size(); i++) runs.add(String.join(" ", words.subList(i, i + 6)));
        return runs;
    }

    @Test
    void hashIsStableAcrossLoadsAndIgnoresComments(@TempDir Path tmp) {
        String first = PackLoader.loadBuiltin("financial-planning").hash();
        assertThat(PackLoader.loadBuiltin("financial-planning").hash()).isEqualTo(first);
        PackFixture copy = PackFixture.copyOfDefault(tmp);
        assertThat(copy.load().hash()).as("a copied pack keeps its hash").isEqualTo(first);
        copy.edit("rules.yaml", "# At least this many", "#   at least this many")
                .edit("topics.yaml", "key_terms: [salary, offer,", "key_terms: [ salary,   \"offer\",");
        assertThat(copy.load().hash()).isEqualTo(first);
    }

    @Test
    void hashIsTheSha256OfTheCanonicalJson() throws Exception {
        Pack pack = PackLoader.loadBuiltin("financial-planning");
        String json = PackHash.canonicalJson(pack);
        assertThat(json).contains("\"overwhelmed_avoider\"").contains("\"Elena Morales\"").doesNotContain("financial-planning");
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(java.util.HexFormat.of().formatHex(digest)).isEqualTo(pack.hash()).isEqualTo(PackHash.of(pack));
    }

    @Test
    void hashChangesWhenAnyValueChanges(@TempDir Path tmp) {
        String original = PackLoader.loadBuiltin("financial-planning").hash();
        PackFixture copy = PackFixture.copyOfDefault(tmp);
        copy.edit("personas/overwhelmed_avoider.yaml", "age: 37", "age: 38");
        String changedAge = copy.load().hash();
        assertThat(changedAge).isNotEqualTo(original);
        copy.edit("rules.yaml", "temperature: 0.95", "temperature: 0.9");
        assertThat(copy.load().hash()).isNotEqualTo(changedAge).isNotEqualTo(original);
    }

    @Test
    void indexListsExactlyTheFilesOfEachBuiltinPack() throws IOException {
        for (String name : BuiltinPacks.names()) {
            Set<String> onDisk = new HashSet<>();
            Path root = RESOURCES.resolve(name);
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).forEach(f -> onDisk.add(root.relativize(f).toString().replace('\\', '/')));
            }
            assertThat(new HashSet<>(BuiltinPacks.find(name).orElseThrow().files())).isEqualTo(onDisk);
        }
        try (Stream<Path> dirs = Files.list(RESOURCES)) {
            List<String> folders = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
            assertThat(BuiltinPacks.names()).containsExactlyInAnyOrderElementsOf(folders);
        }
    }

    @Test
    void everyBuiltinPackHasADescription() {
        assertThat(BuiltinPacks.entries()).allSatisfy(e -> assertThat(e.description()).isNotBlank());
    }

    @Test
    void resolveTakesAFolderOrABuiltinName(@TempDir Path tmp) {
        PackFixture copy = PackFixture.copyOfDefault(tmp);
        assertThat(PackLoader.resolve(copy.dir().toString()).hash())
                .isEqualTo(PackLoader.resolve("financial-planning").hash());
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> PackLoader.resolve("no-such-pack")))
                .isInstanceOf(dev.brun.BadInputException.class)
                .hasMessageContaining("financial-planning");
    }
}

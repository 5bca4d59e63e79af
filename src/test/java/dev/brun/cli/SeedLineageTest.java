package dev.brun.cli;

import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Severity;
import dev.brun.project.Project;
import dev.brun.store.ConversationFilter;
import dev.brun.store.LineageDao;
import dev.brun.store.StoredConversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Seed lineage on a generated project (simulated provider): expansion conversations remember their seeds, and a change reaches them. */
class SeedLineageTest {
    @TempDir Path dir;

    private CliRun brun(String project, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--project", project));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }

    private static List<StoredConversation> all(Project p) {
        List<StoredConversation> out = new ArrayList<>();
        p.db().conversations().streamAll(ConversationFilter.all(), out::add);
        return out;
    }

    private long lineageFlags(String project) {
        try (Project p = Project.open(Path.of(project))) {
            return all(p).stream().mapToLong(s -> seedFlags(p, s.conversation().id()).size()).sum();
        }
    }

    private static List<QualityFlag> seedFlags(Project p, String id) {
        return p.db().quality().flags(id).stream().filter(f -> f.code().equals(LineageDao.SEED_CHANGED)).toList();
    }

    /** Twenty generated seeds, three approved as seed examples, two expansion variations of each of their combinations. */
    private List<String> expandedProject(String project, String... generateExpansion) {
        assertThat(CliRun.of("init", project, "--pack", "financial-planning").exitCode()).isZero();
        brun(project, "plan", "--only", "persona=pragmatic_optimist,arc=grief_to_healing");
        brun(project, "generate", "--provider", "simulated");
        List<String> seeds;
        try (Project p = Project.open(Path.of(project))) {
            seeds = all(p).stream().map(s -> s.conversation().id()).limit(3).toList();
            for (String id : seeds) {
                p.db().reviews().setStatus(id, ReviewStatus.APPROVED, "ana");
                p.db().reviews().toggleSeed(id, "ana");
            }
        }
        brun(project, "expand", "--per-combination", "2", "--examples", "2");
        brun(project, generateExpansion);
        return seeds;
    }

    @Test
    void batchedExpansionRecordsTheSeedsItsPromptsCarriedToo() {
        String project = dir.resolve("b").toString();
        List<String> seeds = expandedProject(project, "generate", "--batch", "--provider", "simulated", "--phase", "expansion");
        try (Project p = Project.open(Path.of(project))) {
            List<StoredConversation> expansion = all(p).stream().filter(s -> s.conversation().scaffolding().phase().equals("expansion")).toList();
            assertThat(expansion).hasSize(6).allSatisfy(s ->
                    assertThat(p.db().lineage().seedsOf(s.conversation().id())).hasSize(2).isSubsetOf(seeds));
        }
    }

    @Test
    void expansionConversationsRecordTheirSeedsAndAChangedSeedFlagsExactlyItsDescendants() {
        String project = dir.resolve("p").toString();
        List<String> seeds = expandedProject(project, "generate", "--provider", "simulated", "--phase", "expansion");

        try (Project p = Project.open(Path.of(project))) {
            LineageDao lineage = p.db().lineage();
            List<StoredConversation> expansion = all(p).stream().filter(s -> s.conversation().scaffolding().phase().equals("expansion")).toList();
            assertThat(expansion).hasSize(6);
            Map<String, String> groups = lineage.seedGroups();
            Set<String> carried = new HashSet<>();
            for (StoredConversation s : expansion) {
                String id = s.conversation().id();
                List<String> of = lineage.seedsOf(id);
                // two examples per prompt, taken from the approved seeds; the group is what --by seed stratifies on
                assertThat(of).as(id).hasSize(2).isSubsetOf(seeds);
                assertThat(groups.get(id)).isEqualTo(String.join("+", of)).isEqualTo(lineage.seedGroupOf(id));
                carried.addAll(of);
            }
            for (String seed : seeds) assertThat(lineage.seedsOf(seed)).as("a seed has no seeds").isEmpty();
            assertThat(groups.keySet()).containsExactlyInAnyOrderElementsOf(expansion.stream().map(s -> s.conversation().id()).toList());

            String changed = carried.iterator().next();
            List<String> descendants = lineage.descendants(changed);
            assertThat(descendants).isNotEmpty()
                    .allSatisfy(d -> assertThat(lineage.seedsOf(d)).contains(changed));
            p.db().reviews().setStatus(changed, ReviewStatus.REJECTED, "ben");
            for (StoredConversation s : expansion) {
                String id = s.conversation().id();
                List<QualityFlag> flags = seedFlags(p, id);
                if (descendants.contains(id)) {
                    assertThat(flags).as(id).singleElement().satisfies(f -> {
                        assertThat(f.severity()).isEqualTo(Severity.WARNING);
                        assertThat(f.relatedConversationId()).isEqualTo(changed);
                        assertThat(f.reason()).contains(changed).contains("was rejected by ben");
                    });
                } else assertThat(flags).as(id).isEmpty();
            }
            // Rejecting it again changes nothing: it is no longer an approved seed.
            p.db().reviews().setStatus(changed, ReviewStatus.REJECTED, "ben");
            assertThat(seedFlags(p, descendants.getFirst())).hasSize(1);

            String edited = seeds.stream().filter(s -> !s.equals(changed) && !lineage.descendants(s).isEmpty()).findFirst().orElseThrow();
            p.db().reviews().editTurn(edited, 1, "A calmer reply.", "ana");
            for (String d : lineage.descendants(edited))
                assertThat(seedFlags(p, d)).as(d).anySatisfy(f -> assertThat(f.reason()).contains(edited).contains("had turn 2 edited (version 1) by ana"));
        }

        // A re-check replaces every check flag but keeps the lineage flags: no check could find them again.
        long before = lineageFlags(project);
        assertThat(before).isGreaterThan(0);
        brun(project, "check");
        assertThat(lineageFlags(project)).isEqualTo(before);
    }
}

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
import dev.brun.pack.Arc;
import dev.brun.pack.Pack;
import dev.brun.project.PackCopier;
import dev.brun.project.Project;
import dev.brun.project.ProjectConfig;
import dev.brun.project.ProjectConfigWriter;
import dev.brun.store.SampleDecision;
import dev.brun.store.StratumRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * brun review plan|decide|status|signoff and export --only certified on the project issue 12 names: 150 seed,
 * 1,200 expansion and 150 edge conversations of 1,680 words, as three models would have made them.
 * The conversations are written straight to the store (generating 1,500 through the engine would only slow the test).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertifyCommandsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir static Path dir;
    static String project;

    @BeforeAll
    static void build() {
        Pack pack = PackCopier.copy("financial-planning", dir.resolve("pack"));
        ProjectConfigWriter.write(dir, ProjectConfig.defaults(pack));
        project = dir.toString();
        try (Project p = Project.open(dir)) {
            int n = 0;
            n = add(p, pack, "seed", "claude-sonnet-4-5", 150, n);
            n = add(p, pack, "expansion", "claude-haiku-4-5", 1200, n);
            n = add(p, pack, "edge", "claude-sonnet-4-5", 150, n);
            // One with an error flag and one already rejected: neither is reviewable.
            add(p, pack, "edge", "claude-sonnet-4-5", 2, n);
            p.db().quality().replaceFlags(id(n), List.of(QualityFlag.of("truncated", Severity.ERROR, "ends mid-sentence", 3)));
            p.db().reviews().setStatus(id(n + 1), ReviewStatus.REJECTED, "ann");
        }
    }

    static String id(int i) { return String.format("conv-%05d", i); }

    private static int add(Project p, Pack pack, String phase, String model, int count, int from) {
        String words = String.join(" ", java.util.Collections.nCopies(52, "money plans worry savings"));
        for (int i = from; i < from + count; i++) {
            Arc a = pack.arcs().get(i % pack.arcs().size());
            Scaffolding s = new Scaffolding(pack.personas().get(i % pack.personas().size()).key(), a.key(),
                    pack.topics().get(i % pack.topics().size()).key(), i, phase);
            List<Turn> turns = new ArrayList<>();
            for (int t = 0; t < 8; t += 2) {
                turns.add(Turn.user(t, "Case " + i + ": " + words, new Emotion("anxious", null, 0.6, 0.8, Valence.NEGATIVE)));
                turns.add(Turn.assistant(t + 1, "Reply " + i + ": " + words + ".", a.stageKeys().getFirst(), "a step", List.of("validation")));
            }
            p.db().conversations().insertImported(new Conversation(id(i), null, s, "A call.", "One step.", turns,
                    Source.IMPORTED, "anthropic", model));
            p.db().quality().putScores(id(i), new Scores(4, 4, 4, 4, 4.0, "heuristic", Map.of()));
        }
        return from + count;
    }

    private static JsonNode json(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static List<StratumRecord> strata() {
        try (Project p = Project.open(dir)) {
            return p.db().reviewPlans().strata(p.db().reviewPlans().openPlan().orElseThrow().id());
        }
    }

    private static List<String> sample(String label) {
        try (Project p = Project.open(dir)) {
            StratumRecord s = strata().stream().filter(x -> x.label().equals(label)).findFirst().orElseThrow();
            return p.db().reviewPlans().sampleDecisions(s.id()).stream().map(SampleDecision::conversationId).toList();
        }
    }

    @Test
    @Order(1)
    void planReadsAtMostAFifthAndSaysTheHoursSaved() {
        CliRun text = CliRun.of("review", "plan", "--project", project);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("hours saved").contains("expansion / claude-haiku-4-5").contains("seed / claude-sonnet-4-5");
        JsonNode plan = json("review", "plan", "--project", project, "--json");
        assertThat(plan.get("action").asString()).isEqualTo("unchanged");
        assertThat(plan.get("conversations").asInt()).isEqualTo(1500); // the flagged and the rejected one are not reviewable
        assertThat(plan.get("strata")).hasSize(3);
        assertThat(plan.get("sample_size").asInt()).isLessThanOrEqualTo(1500 / 5);
        assertThat(plan.get("hours_saved").asDouble()).isGreaterThan(plan.get("reading_hours").asDouble());
        for (JsonNode s : plan.get("strata")) assertThat(s.get("sample_size").asInt()).isLessThan(s.get("conversations").asInt());
        // 1,680 words each at 250 a minute: all 1,500 take 168 hours
        assertThat(plan.get("reading_all_hours").asDouble()).isBetween(160.0, 176.0);
    }

    @Test
    @Order(2)
    void theSameSeedGivesTheSameSampleAndOtherSettingsNeedReplace() {
        List<String> before = sample("edge / claude-sonnet-4-5");
        CliRun refused = CliRun.of("review", "plan", "--project", project, "--seed", "7");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("--replace");
        assertThat(json("review", "plan", "--project", project, "--replace", "--overlap", "0.1", "--json").get("action").asString())
                .isEqualTo("replaced");
        assertThat(sample("edge / claude-sonnet-4-5")).isEqualTo(before);
        try (Project p = Project.open(dir)) {
            assertThat(p.db().reviewPlans().openPlan().orElseThrow().overlap()).isEqualTo(0.1);
        }
        CliRun bad = CliRun.of("review", "plan", "--project", project, "--by", "phase,colour");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("colour").contains("combination");
    }

    @Test
    @Order(3)
    void decidingAWholeSampleAcceptsItsStratumAndExportCertifiedTakesTheUnread() throws Exception {
        List<String> edge = sample("edge / claude-sonnet-4-5");
        List<String> args = new ArrayList<>(List.of("review", "decide", "--project", project, "--approve", "--reviewer", "ann"));
        args.addAll(edge.subList(0, edge.size() - 1));
        assertThat(CliRun.of(args.toArray(String[]::new)).exitCode()).isZero();
        JsonNode status = json("review", "status", "--project", project, "--json");
        JsonNode edgeStatus = find(status.get("strata"), "edge / claude-sonnet-4-5");
        assertThat(edgeStatus.get("left").asInt()).isEqualTo(1);
        assertThat(edgeStatus.get("by_reviewer").get("ann").asInt()).isEqualTo(edge.size() - 1);
        assertThat(edgeStatus.get("verdict").asString()).isEqualTo("open");

        CliRun last = CliRun.of("review", "decide", "--project", project, edge.getLast(), "--approve", "--reviewer", "bob");
        assertThat(last.out()).contains("is accepted: " + (150 - edge.size()) + " unread");
        JsonNode signoff = json("review", "signoff", "--project", project, "--json");
        JsonNode row = find(signoff.get("strata"), "edge / claude-sonnet-4-5");
        assertThat(row.get("verdict").asString()).isEqualTo("accepted");
        assertThat(row.get("reviewed").asInt()).isEqualTo(edge.size());
        assertThat(row.get("defects").asInt()).isZero();
        assertThat(row.get("defect_rate_upper_bound").asDouble()).isLessThan(0.05);
        assertThat(row.properties().stream().map(Map.Entry::getKey).toList()).containsExactly("stratum", "conversations", "sample_size", "reviewed", "defects",
                "defect_rate_upper_bound", "verdict");
        assertThat(find(signoff.get("strata"), "seed / claude-sonnet-4-5").get("verdict").asString()).isEqualTo("open");

        Path out = dir.resolve("certified");
        CliRun export = CliRun.of("export", "--project", project, "--only", "certified", "--format", "v4-jsonl", "--out", out.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        List<JsonNode> pairs = Files.readAllLines(out.resolve("training-v4.jsonl")).stream().map(JSON::readTree)
                .filter(l -> l.has("brun_conversation_id")).toList();
        var conversations = pairs.stream().collect(Collectors.groupingBy(pr -> pr.at("/brun_conversation_id").asString(),
                Collectors.mapping(pr -> pr.at("/training_metadata/human_reviewed").asBoolean(), Collectors.toSet())));
        assertThat(conversations).hasSize(150);
        // Only what a person read says human_reviewed.
        conversations.forEach((id, reviewed) -> assertThat(reviewed).containsExactly(edge.contains(id)));
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        JsonNode cert = manifest.get("certification");
        assertThat(cert.at("/plan/seed").asLong()).isEqualTo(42);
        assertThat(cert.at("/plan/defect_rate").asDouble()).isEqualTo(0.05);
        assertThat(find(cert.get("strata"), "edge / claude-sonnet-4-5").get("defect_rate_upper_bound").asDouble())
                .isEqualTo(row.get("defect_rate_upper_bound").asDouble());
        assertThat(cert.get("reviewers")).extracting(JsonNode::asString).containsExactly("ann", "bob");
    }

    @Test
    @Order(4)
    void anEditIsADefectAndARejectedStratumSaysTheWaysOn() {
        List<String> seed = sample("seed / claude-sonnet-4-5");
        CliRun missing = CliRun.of("review", "decide", "--project", project, seed.getFirst(), "conv-nope", "--approve");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("conv-nope").contains("nothing was recorded");
        assertThat(CliRun.of("review", "decide", "--project", project, seed.getFirst(), "--edited", "--reviewer", "ann").exitCode()).isZero();
        CliRun signoff = CliRun.of("review", "signoff", "--project", project);
        assertThat(signoff.out()).contains("'seed / claude-sonnet-4-5' is rejected").contains("Ways on").contains("review the whole stratum")
                .contains("plan replacements");
        JsonNode row = find(json("review", "signoff", "--project", project, "--json").get("strata"), "seed / claude-sonnet-4-5");
        assertThat(row.get("defects").asInt()).isEqualTo(1);
        assertThat(row.get("verdict").asString()).isEqualTo("rejected");
        try (Project p = Project.open(dir)) {
            // Nothing in a rejected stratum is accepted.
            assertThat(p.db().conversations().count(dev.brun.store.ConversationFilter.all().inPhase("seed").review(ReviewStatus.ACCEPTED))).isZero();
        }
        assertThat(CliRun.of("review", "decide", "--project", project, seed.get(1), "--reject", " ").exitCode()).isEqualTo(2);
    }

    @Test
    @Order(5)
    void laterConversationsFormANewStratumInsteadOfJoiningAnAcceptedOne() {
        try (Project p = Project.open(dir)) {
            add(p, p.pack(), "edge", "claude-sonnet-4-5", 20, 5000);
        }
        JsonNode plan = json("review", "plan", "--project", project, "--overlap", "0.1", "--json");
        assertThat(plan.get("action").asString()).isEqualTo("added");
        JsonNode added = find(plan.get("strata"), "edge / claude-sonnet-4-5 (batch 2)");
        assertThat(added.get("conversations").asInt()).isEqualTo(20);
        assertThat(added.get("new").asBoolean()).isTrue();
        assertThat(find(json("review", "signoff", "--project", project, "--json").get("strata"), "edge / claude-sonnet-4-5")
                .get("conversations").asInt()).isEqualTo(150);
    }

    private static JsonNode find(JsonNode rows, String stratum) {
        for (JsonNode r : rows) if (r.get("stratum").asString().equals(stratum)) return r;
        throw new AssertionError("no stratum " + stratum + " in " + rows);
    }
}

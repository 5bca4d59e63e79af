package dev.brun.web;

import dev.brun.conversation.ReviewStatus;
import dev.brun.project.Project;
import dev.brun.review.PlanParameters;
import dev.brun.review.ReviewPlanner;
import dev.brun.review.StratumDimension;
import dev.brun.store.SampleDecision;
import dev.brun.store.StratumMember;
import dev.brun.store.StratumRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Sign-off page over HTTP: an empty project, a rejected stratum's advice and its whole-stratum walk, the sample walk's end. */
class SignOffPageTest {
    @TempDir static Path dir;
    static Project project;
    static WebServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        project = WebFixture.create(dir, 40);
        server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null), WebFixture.noGeneration());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        project.close();
    }

    @Test
    void aRejectedStratumSaysTheWaysOnAndCanBeReadInFull() throws Exception {
        assertThat(get("/signoff").body()).contains("href=\"/signoff\"").contains("No review plan yet");
        new ReviewPlanner(project.db().reviewPlans()).plan(new PlanParameters(StratumDimension.parse(List.of()), 0.05, 0.95, 0, 9, 0), false);
        StratumRecord stratum = project.db().reviewPlans().strata(project.db().reviewPlans().openPlan().orElseThrow().id()).getFirst();
        List<String> sample = project.db().reviewPlans().sampleDecisions(stratum.id()).stream().map(SampleDecision::conversationId).toList();

        String open = get("/signoff").body();
        assertThat(open).contains("id=\"calibration-facts\"").contains("never applied");
        assertThat(open).contains("0 / " + stratum.sampleSize()).contains("verdict-open")
                .contains("href=\"/review?sample=" + stratum.id() + "&pos=0\"");
        // The sample walk shows the sample in its stored order, and says it is one.
        String first = get("/review?sample=" + stratum.id() + "&pos=0").body();
        assertThat(first).contains("data-id=\"" + sample.getFirst() + "\"").contains("<span id=\"total\">" + sample.size() + "</span>").contains("random sample");
        // After its last conversation, "next" leads to the Sign-off page.
        HttpResponse<String> end = get("/review/step?sample=" + stratum.id() + "&pos=" + (sample.size() - 1) + "&dir=1&id=" + sample.getLast());
        assertThat(end.statusCode()).isEqualTo(303);
        assertThat(end.headers().firstValue("location")).contains("/signoff");

        project.db().reviews().setStatus(sample.get(2), ReviewStatus.REJECTED, "ann");
        String rejected = get("/signoff").body();
        assertThat(rejected).contains("verdict-rejected").contains("Ways on").contains("plan replacements")
                .contains("href=\"/review?sample=" + stratum.id() + "&whole=on&pos=0\"");
        List<StratumMember> members = project.db().reviewPlans().members(stratum.id());
        String unsampled = get("/review?sample=" + stratum.id() + "&whole=on&pos=" + (members.size() - 1)).body();
        assertThat(unsampled).contains("data-id=\"" + members.getLast().conversationId() + "\"").contains("<span id=\"total\">" + members.size() + "</span>")
                .contains("Every conversation");
        assertThat(members.getLast().sampled()).isFalse();
        assertThat(project.db().conversations().count(dev.brun.store.ConversationFilter.all().review(ReviewStatus.ACCEPTED))).isZero();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

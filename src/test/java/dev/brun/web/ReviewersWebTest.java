package dev.brun.web;

import dev.brun.project.Project;
import dev.brun.review.Reviewers;
import dev.brun.store.ReviewAction;
import dev.brun.store.TurnEdit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Several reviewers over plain HTTP: each with their own token and cookie, every action under their name, their kappa shown. */
class ReviewersWebTest {
    static final String ANA = "ana-7f3c9e0a1b2d4c5e";
    static final String BEN = "ben-0c1d2e3f4a5b6c7d";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;

    /** A browser of one person: keeps the cookies the server sets, sends Origin and the page's CSRF token on posts. */
    private static final class Visitor {
        final String base;
        final StringBuilder cookies = new StringBuilder();

        Visitor(String base) { this.base = base; }

        HttpResponse<String> get(String path) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
            if (!cookies.isEmpty()) b.header("Cookie", cookies.toString());
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            r.headers().allValues("Set-Cookie").forEach(c -> cookies.append(cookies.isEmpty() ? "" : "; ").append(c.split(";")[0]));
            return r;
        }

        HttpResponse<String> post(String path, String form) throws Exception {
            String page = get("/reviewers").body();
            Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([0-9a-f]+)\"").matcher(page);
            String csrf = m.find() ? m.group(1) : "none";
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                    .header(WebSecurity.CSRF_HEADER, csrf).POST(HttpRequest.BodyPublishers.ofString(form));
            if (!cookies.isEmpty()) b.header("Cookie", cookies.toString());
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            r.headers().allValues("Set-Cookie").forEach(c -> cookies.append(cookies.isEmpty() ? "" : "; ").append(c.split(";")[0]));
            return r;
        }
    }

    @Test
    void twoReviewersWithTheirOwnTokensAreAttributedAndTheirKappaIsShown() throws Exception {
        Reviewers reviewers = Reviewers.parse("reviewers.txt", List.of("# the team", "ana " + ANA, "ben: " + BEN));
        try (Project project = WebFixture.create(dir, 8);
             WebServer server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null, List.of(), reviewers),
                     WebFixture.noGeneration())) {
            String base = "http://127.0.0.1:" + server.port();

            Visitor stranger = new Visitor(base);
            HttpResponse<String> anonymous = stranger.get("/");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("Reviewer link needed").contains("/login/&lt;your token&gt;")
                    .doesNotContain(ANA).doesNotContain(BEN);
            assertThat(stranger.get("/login/not-a-reviewer-token").statusCode()).isEqualTo(401);
            assertThat(stranger.post("/review/conv-001/status", "status=approved").statusCode()).isEqualTo(401);
            stranger.cookies.append("brun_reviewer=forged-token-123456");
            assertThat(stranger.get("/").body()).contains("no longer valid");

            Visitor ana = new Visitor(base);
            HttpResponse<String> login = ana.get("/login/" + ANA);
            assertThat(login.statusCode()).isEqualTo(302);
            assertThat(login.headers().firstValue("Location")).hasValue("/");
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
                    .startsWith(ReviewerSessions.SESSION_COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict");
            HttpResponse<String> home = ana.get("/");
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).contains("reviewing as <strong>ana</strong>").doesNotContain("id=\"reviewer-form\"");

            Visitor ben = new Visitor(base);
            assertThat(ben.get("/conversations?token=" + BEN).statusCode()).isEqualTo(200); // the ?token= form of the link
            assertThat(ben.get("/review").body()).contains("reviewing as <strong>ben</strong>");
            assertThat(ben.post("/reviewer/name", "name=Mallory").statusCode()).isEqualTo(400); // names come from the file

            // Overlap: 001 ana fine / ben defect; 002 ana defect / ben fine; 003 and 006 both fine; 005 both defect.
            decide(ana, "conv-001", "approved");
            decide(ben, "conv-001", "rejected");
            decide(ana, "conv-002", "rejected");
            decide(ben, "conv-002", "approved");
            for (String id : List.of("conv-003", "conv-006")) { decide(ana, id, "approved"); decide(ben, id, "approved"); }
            decide(ana, "conv-005", "rejected");
            assertThat(ben.post("/review/conv-005/turns/1", "content=A+calmer+reply.").statusCode()).isEqualTo(200);
            decide(ben, "conv-005", "approved"); // edited then approved: a defect by ben's own decision
            decide(ana, "conv-007", "approved");

            assertThat(project.db().reviews().actions("conv-001")).extracting(a -> a.action() + ":" + a.actor())
                    .containsExactly("status:ana", "status:ben", "note:ben"); // a rejection's reason goes into the notes
            assertThat(project.db().reviews().actions("conv-005")).extracting(a -> a.action() + ":" + a.actor())
                    .containsExactly("status:ana", "note:ana", "edit:ben", "status:ben");
            assertThat(project.db().reviews().edits("conv-005")).extracting(TurnEdit::editor).containsExactly("ben");
            assertThat(project.db().conversations().find("conv-002").orElseThrow().review().reviewer()).isEqualTo("ben");

            String page = ana.get("/reviewers").body();
            assertThat(page).containsPattern("<tr data-reviewer=\"ana\"><td>ana</td><td class=\"n\">6</td><td class=\"n\">4</td>\\s*"
                    + "<td class=\"n\">2</td><td class=\"n\">0</td></tr>");
            assertThat(page).containsPattern("<tr data-reviewer=\"ben\"><td>ben</td><td class=\"n\">5</td><td class=\"n\">4</td>\\s*"
                    + "<td class=\"n\">1</td><td class=\"n\">1</td></tr>");
            // TP 1 (005), FP 1 (002), FN 1 (001), TN 2: po = 3/5, pe = 13/25, kappa = (15 - 13) / (25 - 13) = 0.17.
            assertThat(page).containsPattern("<td>ana · ben</td><td class=\"n\">5</td>\\s*<td class=\"n kappa\">0.17</td><td class=\"n\">2</td>");
            assertThat(page).contains("ana and ben disagree on")
                    .containsPattern("conv-001</a>:\\s+ana says fine, ben says defect")
                    .containsPattern("conv-002</a>:\\s+ana says defect, ben says fine")
                    .doesNotContain("conv-003</a>");
            HttpResponse<String> open = ana.get("/reviewers/open/conv-002");
            assertThat(open.statusCode()).isEqualTo(303);
            String review = ana.get(open.headers().firstValue("Location").orElseThrow()).body();
            assertThat(review).contains("case 2.").doesNotContain("case 1.").doesNotContain("case 3.");
        }
    }

    @Test
    void withoutAFileALoopbackServerAsksForANameOnceAndKeepsIt() throws Exception {
        try (Project project = WebFixture.create(dir, 3);
             WebServer server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null), WebFixture.noGeneration())) {
            String base = "http://127.0.0.1:" + server.port();
            Visitor carla = new Visitor(base);
            assertThat(carla.get("/").body()).contains("id=\"reviewer-form\"").doesNotContain("reviewing as");
            decide(carla, "conv-001", "approved"); // before a name: recorded as before, unnamed
            HttpResponse<String> named = carla.post("/reviewer/name", "name=Carla+M.");
            assertThat(named.statusCode()).isEqualTo(303);
            assertThat(named.headers().firstValue("Set-Cookie").orElseThrow())
                    .startsWith(ReviewerSessions.NAME_COOKIE + "=Carla+M.").contains("HttpOnly").contains("SameSite=Strict");
            assertThat(carla.get("/review").body()).contains("reviewing as <strong>Carla M.</strong>").doesNotContain("id=\"reviewer-form\"");
            decide(carla, "conv-002", "approved");
            assertThat(project.db().reviews().actions("conv-001")).extracting(ReviewAction::actor).containsExactly(ReviewerSessions.UNNAMED_ACTOR);
            assertThat(project.db().reviews().actions("conv-002")).extracting(ReviewAction::actor).containsExactly("Carla M.");
            assertThat(carla.post("/reviewer/name", "name=+").statusCode()).isEqualTo(400);
        }
    }

    private static void decide(Visitor v, String id, String status) throws Exception {
        String form = "status=" + status + (status.equals("rejected") ? "&reason=off+topic" : "");
        HttpResponse<String> r = v.post("/review/" + id + "/status", form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}

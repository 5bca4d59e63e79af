package dev.brun.web;

import dev.brun.cli.CliRun;
import dev.brun.conversation.ReviewStatus;
import dev.brun.project.Project;
import dev.brun.run.ConversationHook;
import dev.brun.store.SampleDecision;
import dev.brun.store.StratumRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, "Done when" 3, in a real headless Chromium: the Sign-off page's "Review sample" walks one stratum's
 * sample in its stored random order with the review page's keys ('a' approves and moves on); the stratum turns
 * accepted, and export --only certified then holds its unread conversations and the manifest its bound.
 */
@Tag("browser")
class CertifyBrowserTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir static Path dir;
    @TempDir static Path profile;
    @TempDir static Path downloads;
    static Project project;
    static WebServer server;
    static String base;
    static ChromeDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() {
        project = WebFixture.create(dir, 40);
        var generation = new BackgroundGenerationJobs(project.db().jobs(), project.db().units(), EngineGenerationRuns.forProject(project, ConversationHook.NONE));
        server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null), generation);
        base = "http://127.0.0.1:" + server.port();
        driver = Chromium.start(profile, downloads);
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        if (project != null) project.close();
    }

    @Test
    void walkingAStratumsSampleByKeyboardAcceptsItAndCertifiesTheUnread() throws Exception {
        driver.get(base + "/signoff");
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("brun review plan");
        CliRun plan = CliRun.of("review", "plan", "--project", dir.toString());
        assertThat(plan.exitCode()).as(plan.err()).isZero();

        StratumRecord stratum = project.db().reviewPlans().strata(project.db().reviewPlans().openPlan().orElseThrow().id()).getFirst();
        List<String> order = project.db().reviewPlans().sampleDecisions(stratum.id()).stream().map(SampleDecision::conversationId).toList();
        // 40 reviewable (the error-flagged one is not): the sample is 31 of them, leaving 9 to certify
        assertThat(stratum.conversations()).isEqualTo(40);
        assertThat(order).hasSize(stratum.sampleSize()).hasSizeLessThan(40);

        driver.get(base + "/signoff");
        WebElement row = driver.findElement(By.cssSelector("#strata tr[data-stratum='" + stratum.id() + "']"));
        assertThat(row.findElement(By.cssSelector(".progress")).getText()).isEqualTo("0 / " + stratum.sampleSize());
        assertThat(row.findElement(By.cssSelector(".verdict")).getText()).isEqualTo("open");
        row.findElement(By.cssSelector("a.review-sample")).click();

        List<String> walked = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            String id = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("review"))).getAttribute("data-id");
            walked.add(id);
            assertThat(driver.findElement(By.cssSelector(".position")).getText()).isEqualTo((i + 1) + " of " + order.size());
            new Actions(driver).sendKeys("a").perform();
            // the next conversation of the sample, or the Sign-off page after the last (the page is replaced meanwhile)
            wait.ignoring(org.openqa.selenium.WebDriverException.class).until(d -> d.getCurrentUrl().endsWith("/signoff")
                    || d.findElements(By.id("review")).stream().anyMatch(e -> !id.equals(e.getAttribute("data-id"))));
        }
        assertThat(walked).isEqualTo(order);

        // The end of the walk leads to the Sign-off page, where the stratum is accepted.
        row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#strata tr[data-stratum='" + stratum.id() + "']")));
        assertThat(row.findElement(By.cssSelector(".verdict")).getText()).isEqualTo("accepted");
        assertThat(row.findElement(By.cssSelector(".progress")).getText()).isEqualTo(order.size() + " / " + order.size());
        assertThat(row.findElement(By.cssSelector(".defects")).getText()).isEqualTo("0");
        String bound = row.findElement(By.cssSelector(".bound")).getText();
        Files.createDirectories(BrowserReviewTest.SCREENSHOTS);
        Files.copy(driver.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(), BrowserReviewTest.SCREENSHOTS.resolve("signoff.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Set<String> unread = new java.util.HashSet<>();
        project.db().conversations().streamAll(dev.brun.store.ConversationFilter.all().review(ReviewStatus.ACCEPTED),
                c -> unread.add(c.conversation().id()));
        assertThat(unread).hasSize(40 - order.size()).doesNotContainAnyElementsOf(order);

        Path out = dir.resolve("certified");
        CliRun export = CliRun.of("export", "--project", dir.toString(), "--only", "certified", "--format", "v4-jsonl", "--out", out.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        Set<String> exported = Files.readAllLines(out.resolve("training-v4.jsonl")).stream().map(JSON::readTree)
                .filter(l -> l.has("brun_conversation_id")).map(l -> l.get("brun_conversation_id").asString()).collect(Collectors.toSet());
        assertThat(exported).containsAll(unread).containsAll(order).hasSize(40);
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        JsonNode certified = manifest.at("/certification/strata/0");
        assertThat(certified.get("verdict").asString()).isEqualTo("accepted");
        double upper = certified.get("defect_rate_upper_bound").asDouble();
        assertThat(upper).isLessThan(0.05);
        assertThat(String.format(java.util.Locale.ROOT, "%.1f%%", upper * 100)).isEqualTo(bound);
        assertThat(manifest.at("/certification/plan/seed").asLong()).isEqualTo(42);
        // The automatic-rejection rule and every signal's measured agreement travel with the certified data.
        assertThat(manifest.at("/certification/automatic_rejection/rule").asString()).contains("kappa").contains(">= 50");
        assertThat(manifest.at("/certification/automatic_rejection/decisions").asInt()).isEqualTo(order.size());
    }
}

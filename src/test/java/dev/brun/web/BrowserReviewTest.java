package dev.brun.web;

import dev.brun.conversation.ReviewStatus;
import dev.brun.project.Project;
import dev.brun.run.ConversationHook;
import dev.brun.store.ReviewAction;
import dev.brun.store.StoredConversation;
import dev.brun.store.TurnEdit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The review app in a real headless Chromium: keyboard review, filters, XSS, cross-site posts, export download. */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserReviewTest {
    /**
     * Where page screenshots go: target/ on an ordinary run, so tests never dirty the work tree;
     * {@code -Dbrun.screenshots=docs/screenshots} refreshes the ones the README shows.
     */
    static final Path SCREENSHOTS = Path.of(System.getProperty("brun.screenshots", "target/screenshots"));

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
    @Order(1)
    void dashboardShowsCoverageAndOpensACellsTopics() throws Exception {
        driver.get(base + "/");
        assertThat(driver.findElements(By.cssSelector("table.heat td.cell"))).hasSize(
                project.pack().personas().size() * project.pack().arcs().size());
        driver.findElements(By.cssSelector("table.heat td.cell")).stream()
                .filter(td -> !td.getText().trim().equals("0")).findFirst().orElseThrow().click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#cell-topics table")));
        assertThat(driver.findElements(By.cssSelector("#cell-topics a[href^='/conversations?persona=']"))).isNotEmpty();
        // Every chart drawn by the vendored Chart.js, served by this server (no CDN): bars per chart.
        List<?> bars = (List<?>) driver.executeScript("return Array.from(document.querySelectorAll('canvas[data-chart]'))"
                + ".map(c => window.Chart && Chart.getChart(c) ? Chart.getChart(c).getDatasetMeta(0).data.length : -1)");
        assertThat(bars).hasSize(1 + 2 + 5).allSatisfy(n -> assertThat(((Number) n).intValue()).isPositive());
        List<?> scripts = (List<?>) driver.executeScript("return Array.from(document.scripts).map(s => s.src)");
        assertThat(scripts).isNotEmpty().allSatisfy(src -> assertThat((String) src).startsWith(base + "/static/"));
    }

    @Test
    @Order(2)
    void reviewingByKeyboardIsStoredWithEveryAction() throws Exception {
        driver.get(base + "/review?phase=seed&pos=3");
        String first = reviewId();
        StoredConversation before = project.db().conversations().find(first).orElseThrow();
        String originalTurn2 = before.conversation().turns().get(2).content();

        press(Keys.ARROW_DOWN);
        press(Keys.ARROW_DOWN);
        press("e");
        WebElement editor = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#turn-2 textarea")));
        editor.clear();
        editor.sendKeys("I have 5,000 saved. What first?");
        WebElement page = driver.findElement(By.id("review"));
        editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        wait.until(ExpectedConditions.stalenessOf(page));
        assertThat(driver.findElement(By.cssSelector("#turn-2 .content")).getText()).isEqualTo("I have 5,000 saved. What first?");
        assertThat(driver.findElement(By.cssSelector("#turn-2 details.edits")).getText()).contains("edited once");

        press("n");
        WebElement note = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("note")));
        note.sendKeys("Good seed: calm and concrete.");
        page = driver.findElement(By.id("review"));
        note.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        wait.until(ExpectedConditions.stalenessOf(page));
        driver.manage().window().setSize(new Dimension(1440, 1080));
        screenshot("review.png");
        driver.manage().window().setSize(new Dimension(1440, 1000));

        // s: approve, seed the conversation on screen, and go on to the next one in one key.
        page = driver.findElement(By.id("review"));
        press("s");
        wait.until(ExpectedConditions.stalenessOf(page));
        String second = reviewId();
        assertThat(second).isNotEqualTo(first);
        assertThat(driver.getCurrentUrl()).contains("id=" + second);
        assertThat(project.db().conversations().find(second).orElseThrow().review().seed()).isFalse();

        // a: approve and go on; the next position follows, nothing skipped.
        page = driver.findElement(By.id("review"));
        press("a");
        wait.until(ExpectedConditions.stalenessOf(page));
        String third = reviewId();
        assertThat(driver.getCurrentUrl()).contains("id=" + third);
        assertThat(project.db().conversations().find(second).orElseThrow().review().status()).isEqualTo(ReviewStatus.APPROVED);

        press("r");
        WebElement reason = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reason")));
        reason.sendKeys("Too generic for this persona");
        page = driver.findElement(By.id("review"));
        reason.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.stalenessOf(page));
        assertThat(reviewId()).isNotEqualTo(third);

        // k goes back to the rejected one, which shows its reason.
        page = driver.findElement(By.id("review"));
        press("k");
        wait.until(ExpectedConditions.stalenessOf(page));
        assertThat(reviewId()).isEqualTo(third);
        assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("rejected");
        assertThat(driver.findElement(By.id("reason-shown")).getText()).isEqualTo("Too generic for this persona");

        StoredConversation approved = project.db().conversations().find(first).orElseThrow();
        assertThat(approved.review().status()).isEqualTo(ReviewStatus.APPROVED);
        assertThat(approved.review().seed()).isTrue();
        assertThat(approved.review().notes()).isEqualTo("Good seed: calm and concrete.");
        assertThat(approved.conversation().turns().get(2).content()).isEqualTo("I have 5,000 saved. What first?");
        List<TurnEdit> edits = project.db().reviews().edits(first);
        assertThat(edits).singleElement().satisfies(e -> {
            assertThat(e.turnIndex()).isEqualTo(2);
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.oldContent()).isEqualTo(originalTurn2);
        });
        assertThat(project.db().reviews().originalContent(first, 2)).contains(originalTurn2);
        List<ReviewAction> actions = project.db().reviews().actions(first);
        assertThat(actions).extracting(ReviewAction::action).containsExactly("edit", "note", "status", "seed");
        assertThat(actions).allSatisfy(a -> assertThat(a.at()).isNotNull());

        StoredConversation rejected = project.db().conversations().find(third).orElseThrow();
        assertThat(rejected.review().status()).isEqualTo(ReviewStatus.REJECTED);
        assertThat(project.db().reviews().verdict(third).reason()).isEqualTo("Too generic for this persona");
        assertThat(rejected.review().notes()).isNull();
    }

    @Test
    @Order(3)
    void filtersNarrowTheListAndPages() throws Exception {
        driver.get(base + "/conversations");
        new Select(driver.findElement(By.name("status"))).selectByValue("approved");
        driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("status=approved"));
        long approved = project.db().conversations().count(
                dev.brun.store.ConversationFilter.all().review(ReviewStatus.APPROVED));
        assertThat(rows()).hasSize((int) approved);

        driver.get(base + "/conversations");
        driver.findElement(By.name("q")).sendKeys("case 7.", Keys.ENTER);
        wait.until(ExpectedConditions.urlContains("q=case"));
        assertThat(rows()).extracting(r -> r.getAttribute("data-id")).containsExactly("conv-007");

        driver.get(base + "/conversations?flag=truncated");
        assertThat(rows()).extracting(r -> r.getAttribute("data-id")).containsExactly(WebFixture.FLAGGED_ID);
        driver.findElement(By.id("start-review")).click();
        assertThat(reviewId()).isEqualTo(WebFixture.FLAGGED_ID);
        assertThat(driver.findElement(By.cssSelector("#turn-3 .flag")).getText()).contains("truncated").contains("mid-sentence");
        assertThat(driver.findElement(By.id("whole-flags")).getText()).contains("persona_mismatch").contains("persona is 42");
        screenshot("review-flags.png");
        driver.get(base + "/conversations");
        screenshot("conversations.png");
    }

    @Test
    @Order(4)
    void hostileModelTextIsShownAsTextAndNeverRuns() throws Exception {
        driver.get(base + "/review?q=onerror");
        assertThat(reviewId()).isEqualTo(WebFixture.XSS_ID);
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(driver.findElement(By.cssSelector("#turn-0 .content")).getText()).contains(WebFixture.SCRIPT).contains(WebFixture.IMG);
        assertThat(driver.findElement(By.cssSelector("#turn-1 .content")).getText()).contains(WebFixture.SCRIPT);
        assertThat(driver.findElements(By.cssSelector(".transcript img, .transcript script"))).isEmpty();
        assertThat(driver.findElement(By.cssSelector("#turn-0 .flag")).getText()).contains(WebFixture.IMG);
    }

    @Test
    @Order(5)
    void aCrossSiteFormPostIsRefused() throws Exception {
        String attack = "<form method=post action='" + base + "/review/conv-009/status'>"
                + "<input name=status value=approved><input name=_csrf value=guess></form>";
        Path evil = dir.resolve("evil.html");
        Files.writeString(evil, attack + "<script>document.forms[0].submit()</script>");
        driver.get(evil.toUri().toString());
        wait.until(ExpectedConditions.urlToBe(base + "/review/conv-009/status"));
        assertThat(driver.getPageSource()).contains("cross-site request refused");
        assertThat(project.db().conversations().find("conv-009").orElseThrow().review().status()).isEqualTo(ReviewStatus.PENDING);
        assertThat(project.db().reviews().actions("conv-009")).isEmpty();

        driver.get(base + "/");
        Object status = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/review/conv-009/seed', {method: 'POST'}).then(r => done(r.status));""");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(project.db().conversations().find("conv-009").orElseThrow().review().seed()).isFalse();
    }

    @Test
    @Order(6)
    void exportPreviewAndDownloadedZip() throws Exception {
        driver.get(base + "/export");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("included-count")));
        new Select(driver.findElement(By.name("selection"))).selectByValue("approved");
        wait.until(ExpectedConditions.textToBe(By.id("included-count"), "2"));
        assertThat(driver.findElement(By.id("exclusions")).getText()).contains("not approved");
        screenshot("export.png");
        driver.findElement(By.id("download")).click();
        Path zip = waitForDownload();
        Map<String, String> entries = WebServerTest.unzip(Files.readAllBytes(zip));
        assertThat(entries).containsKeys("manifest.json", "training-v4.json");
        assertThat(entries.get("manifest.json")).contains("\"conversations\"");
        assertThat(entries.get("training-v4.json")).contains("Good seed").doesNotContain("Too generic");
    }

    @Test
    @Order(7)
    void generationStartedFromThePageRunsOnTheSimulatedProviderTo100Percent() throws Exception {
        long before = project.db().conversations().count(dev.brun.store.ConversationFilter.all());
        driver.get(base + "/generate");
        driver.findElement(By.cssSelector("input[name=scope][value=slice]")).click();
        new Select(driver.findElement(By.name("persona"))).selectByIndex(1);
        new Select(driver.findElement(By.name("arc"))).selectByIndex(1);
        driver.findElement(By.id("estimate-button")).click();
        WebElement total = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("estimate-total")));
        assertThat(total.getText()).startsWith("$");
        int planned = Integer.parseInt(driver.findElement(By.id("start-button")).getText().replaceAll("\\D", ""));
        assertThat(planned).isPositive();
        driver.findElement(By.id("start-button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#progress .job[data-state=done]")));
        assertThat(driver.findElement(By.cssSelector("#progress .job-pct")).getText()).isEqualTo("100%");
        assertThat(driver.findElement(By.cssSelector("#progress progress")).getAttribute("value")).isEqualTo("100");
        screenshot("generate.png");

        // The dashboard shows the same job with its progress, and keeps polling it while one runs.
        driver.get(base + "/");
        WebElement shown = driver.findElement(By.cssSelector("#jobs .job"));
        assertThat(shown.getAttribute("data-state")).isEqualTo("done");
        assertThat(shown.findElement(By.cssSelector(".job-pct")).getText()).isEqualTo("100%");
        assertThat(driver.findElement(By.id("jobs")).getAttribute("hx-trigger")).isEqualTo("every 2s");
        driver.findElements(By.cssSelector("table.heat td.cell")).getFirst().click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#cell-topics table")));
        driver.manage().window().setSize(new Dimension(1440, 1520));
        screenshot("dashboard.png");
        driver.manage().window().setSize(new Dimension(1440, 1000));
        assertThat(project.db().conversations().count(dev.brun.store.ConversationFilter.all())).isEqualTo(before + planned);
        var job = project.db().jobs().recent(1).getFirst();
        assertThat(job.state()).isEqualTo("done");
        assertThat(job.done()).isEqualTo(planned);
    }

    private static List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#conversation-list tbody tr"));
    }

    private static String reviewId() {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.id("review"))).getAttribute("data-id");
    }

    private static void press(CharSequence key) {
        new Actions(driver).sendKeys(key).perform();
    }

    private static Path waitForDownload() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(downloads)) {
                Optional<Path> zip = files.filter(f -> f.toString().endsWith(".zip")).findFirst();
                if (zip.isPresent()) return zip.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no zip downloaded into " + downloads);
    }

    static void screenshot(String name) throws Exception {
        screenshot(driver, name);
    }

    static void screenshot(ChromeDriver browser, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}

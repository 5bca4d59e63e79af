package dev.brun.web;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;
import dev.brun.pack.Arc;
import dev.brun.project.Project;
import dev.brun.quality.RepetitionCheck;
import dev.brun.store.ConversationFilter;
import dev.brun.store.ConversationOrder;
import dev.brun.store.ConversationRow;
import dev.brun.store.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The review walk at reading speed in a real headless Chromium: one key per decision under every filter with
 * nothing skipped, presets, undo, the flag summary, bulk actions on exactly the selection, and the layout at
 * 400 and 1400 px. One browser for all of it; the tests build on each other in order.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewWalkBrowserTest {
    static final String REPEATING_ID = "conv-repeat";
    static final String OPENING = "Let us slow down and look at the whole picture together.";

    @TempDir static Path dir;
    @TempDir static Path profile;
    @TempDir static Path downloads;
    static Project project;
    static WebServer server;
    static String base;
    static ChromeDriver driver;
    static WebDriverWait wait;
    static String seeded;

    @BeforeAll
    static void start() {
        project = WebFixture.create(dir, 16);
        var pack = project.pack();
        Arc arc = pack.arcs().getFirst();
        String filler = " We will take it one piece at a time, and nothing has to be decided today.".repeat(6);
        Conversation repeating = new Conversation(REPEATING_ID, null,
                new Scaffolding(pack.personas().getFirst().key(), arc.key(), pack.topics().getFirst().key(), 0, "seed"),
                "A call about a messy budget.", "One step.", List.of(
                Turn.user(0, "I do not know where my money goes every month." + filler, new Emotion("overwhelmed", null, 0.8, 0.8, Valence.NEGATIVE)),
                Turn.assistant(1, OPENING + " First, what comes in each month?" + filler, arc.stageKeys().getFirst(), "listen", List.of("validation")),
                Turn.user(2, "About four thousand, I think. It all disappears." + filler, new Emotion("anxious", null, 0.6, 0.7, Valence.NEGATIVE)),
                Turn.assistant(3, OPENING + " Then we write down what goes out." + filler, arc.stageKeys().getLast(), "a step", List.of("planning"))),
                Source.IMPORTED, null, null);
        project.db().conversations().insertImported(repeating);
        project.db().quality().replaceFlags(REPEATING_ID, new RepetitionCheck().check(repeating, pack));
        project.db().quality().putScores(REPEATING_ID, new Scores(4, 3, 5, 2, 3.2, "heuristic",
                Map.of("brand_voice", List.of("uses a phrase the consultant avoids"), "clarity", List.of("long replies"))));
        server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null), WebFixture.noGeneration());
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
    void oneKeyApprovesAndShowsTheNextConversationWithoutAFilter() {
        List<String> all = ids(ConversationFilter.all());
        driver.get(base + "/review");
        for (int i = 0; i < 3; i++) {
            assertThat(reviewId()).isEqualTo(all.get(i));
            pressAndWait("a");
        }
        assertThat(reviewId()).isEqualTo(all.get(3));
        assertThat(driver.getCurrentUrl()).contains("id=" + all.get(3));
        for (int i = 0; i < 3; i++) assertThat(verdict(all.get(i)).status()).isEqualTo(ReviewStatus.APPROVED);
        assertThat(verdict(all.get(3)).status()).isEqualTo(ReviewStatus.PENDING);
        // The page was swapped, not reloaded: a marker set on the window survives the walk.
        driver.executeScript("window.__sameDocument = 'yes'");
        pressAndWait("j");
        assertThat(driver.executeScript("return window.__sameDocument")).isEqualTo("yes");
        assertThat(reviewId()).isEqualTo(all.get(4));
    }

    @Test
    @Order(2)
    void underStatusPendingApproveAndJNeverSkipAConversation() {
        List<String> pending = ids(ConversationFilter.all().review(ReviewStatus.PENDING));
        driver.get(base + "/review?status=pending");
        for (int i = 0; i < 3; i++) {
            assertThat(reviewId()).isEqualTo(pending.get(i));
            pressAndWait("a");
        }
        // The habitual j after an approval used to skip the conversation that had moved into this position.
        assertThat(reviewId()).isEqualTo(pending.get(3));
        pressAndWait("j");
        assertThat(reviewId()).isEqualTo(pending.get(4));
        pressAndWait("k");
        assertThat(reviewId()).isEqualTo(pending.get(3));
        assertThat(driver.getCurrentUrl()).contains("status=pending").contains("id=" + pending.get(3));
        // The position counts what is still pending: the three approved ones left the list.
        wait.until(ExpectedConditions.textToBe(By.id("position"), "1"));
        // Reload and back work: the URL names the conversation.
        driver.navigate().refresh();
        assertThat(reviewId()).isEqualTo(pending.get(3));
        driver.navigate().back();
        wait.ignoring(StaleElementReferenceException.class)
                .until(d -> pending.get(4).equals(d.findElement(By.id("review")).getAttribute("data-id")));
        for (int i = 0; i < 3; i++) assertThat(verdict(pending.get(i)).status()).isEqualTo(ReviewStatus.APPROVED);
        assertThat(verdict(pending.get(3)).status()).isEqualTo(ReviewStatus.PENDING);
    }

    @Test
    @Order(3)
    void sSeedsTheConversationOnScreenAndGoesOn() {
        List<String> pending = ids(ConversationFilter.all().review(ReviewStatus.PENDING));
        driver.get(base + "/review?status=pending");
        seeded = reviewId();
        assertThat(seeded).isEqualTo(pending.getFirst());
        pressAndWait("s");
        assertThat(reviewId()).isEqualTo(pending.get(1));
        assertThat(verdict(seeded)).isEqualTo(new Verdict(ReviewStatus.APPROVED, true, null));
        assertThat(verdict(pending.get(1))).isEqualTo(Verdict.PENDING);
    }

    @Test
    @Order(4)
    void aPresetRejectionTakesTwoKeysAndUUndoesIt() {
        Verdict earlier = verdict(WebFixture.FLAGGED_ID);
        driver.get(base + "/review?id=" + WebFixture.FLAGGED_ID);
        // The conversation's own flags come first among the presets.
        assertThat(driver.findElement(By.cssSelector("#presets li[data-digit='1']")).getAttribute("data-text"))
                .isEqualTo("truncated: the reply ends mid-sentence");
        press("r");
        pressAndWait("1");
        assertThat(reviewId()).isNotEqualTo(WebFixture.FLAGGED_ID);
        assertThat(verdict(WebFixture.FLAGGED_ID)).isEqualTo(new Verdict(ReviewStatus.REJECTED, false, "truncated: the reply ends mid-sentence"));

        pressAndWait("u");
        assertThat(reviewId()).isEqualTo(WebFixture.FLAGGED_ID);
        assertThat(driver.findElement(By.id("status")).getText()).isEqualTo(earlier.status().wire());
        assertThat(verdict(WebFixture.FLAGGED_ID)).isEqualTo(earlier);

        // Without flags, digit 1 is the pack's first common reason.
        driver.get(base + "/review?id=conv-003");
        press("r");
        pressAndWait("1");
        assertThat(verdict("conv-003").reason()).isEqualTo(project.pack().rules().reviewReasons().getFirst());

        // p resets a decision to pending and stays on the conversation.
        pressAndWait("k");
        assertThat(reviewId()).isEqualTo("conv-003");
        pressAndWait("p");
        assertThat(reviewId()).isEqualTo("conv-003");
        assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("pending");
        assertThat(verdict("conv-003")).isEqualTo(Verdict.PENDING);
    }

    @Test
    @Order(5)
    void rejectingASeedUnmarksItAndSaysSoAndANoteLeavesTheReasonUnchanged() {
        driver.get(base + "/review?id=" + seeded);
        press("r");
        WebElement reason = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reason")));
        reason.sendKeys("Too generic for this persona");
        WebElement page = driver.findElement(By.id("review"));
        reason.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.stalenessOf(page));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), "no longer a seed"));
        assertThat(verdict(seeded)).isEqualTo(new Verdict(ReviewStatus.REJECTED, false, "Too generic for this persona"));

        pressAndWait("k");
        assertThat(reviewId()).isEqualTo(seeded);
        press("n");
        WebElement note = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("note")));
        assertThat(note.getAttribute("value")).isEmpty();
        note.sendKeys("Check the tone of turn 4.");
        page = driver.findElement(By.id("review"));
        note.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        wait.until(ExpectedConditions.stalenessOf(page));
        assertThat(verdict(seeded).reason()).isEqualTo("Too generic for this persona");
        assertThat(project.db().conversations().find(seeded).orElseThrow().review().notes()).isEqualTo("Check the tone of turn 4.");
        assertThat(driver.findElement(By.id("reason-shown")).getText()).isEqualTo("Too generic for this persona");
    }

    @Test
    @Order(6)
    void theFlagSummaryLinksLandOnTheTurnAndItsTurnNumbersMatchThePage() throws Exception {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1000));
        driver.get(base + "/review?id=" + REPEATING_ID);
        BrowserReviewTest.screenshot(driver, "review-summary.png");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 600));
        driver.get(base + "/review?id=" + REPEATING_ID);
        WebElement item = driver.findElements(By.cssSelector("#summary .flag-list li")).stream()
                .filter(li -> li.getText().contains(RepetitionCheck.REPEATED_OPENING)).findFirst().orElseThrow();
        String reason = item.findElement(By.cssSelector(".flag-reason")).getText();
        WebElement link = item.findElement(By.cssSelector(".flag-link"));
        assertThat(link.getText()).isEqualTo("turn 4");
        WebElement flagged = driver.findElement(By.id("turn-3"));
        assertThat(inViewport(flagged)).isFalse();
        link.click();
        wait.until(d -> inViewport(flagged));
        assertThat(flagged.getAttribute("class")).contains("selected");
        assertThat(flagged.findElement(By.cssSelector(".turn-no")).getText()).isEqualTo("#4");

        // "same sentence as turn N": the turn the page numbers N opens with that sentence.
        Matcher m = Pattern.compile("as turn (\\d+)").matcher(reason);
        assertThat(m.find()).as(reason).isTrue();
        WebElement earlier = driver.findElements(By.cssSelector(".turn")).stream()
                .filter(t -> t.findElement(By.cssSelector(".turn-no")).getText().equals("#" + m.group(1))).findFirst().orElseThrow();
        assertThat(earlier.findElement(By.cssSelector(".content")).getText()).startsWith(OPENING);

        // Each score with its stored reasons, at the top.
        assertThat(driver.findElement(By.cssSelector("#score-summary li[data-dimension='brand_voice']")).getText())
                .contains("2.0").contains("uses a phrase the consultant avoids");
        // The side panel shows the persona's facts and remembers being closed.
        var persona = project.pack().personas().getFirst();
        assertThat(driver.findElement(By.id("persona-facts")).getText()).contains(Integer.toString(persona.age()))
                .contains(persona.occupation()).contains(persona.incomeRange());
        assertThat(driver.findElement(By.id("principles")).getText()).contains(project.pack().consultant().principles().getFirst().name());
        press("i");
        // the key closes the panel; only then is there a closed state to remember across the reload
        wait.until(d -> d.findElement(By.id("context-panel")).getAttribute("open") == null);
        driver.navigate().refresh();
        assertThat(driver.findElement(By.id("context-panel")).getAttribute("open")).isNull();
        press("i");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1000));
    }

    @Test
    @Order(7)
    void bulkActionsApplyToExactlyTheSelectedRows() {
        driver.get(base + "/conversations?flags=error");
        assertThat(driver.findElements(By.cssSelector("#conversation-list tbody tr"))).extracting(r -> r.getAttribute("data-id"))
                .containsExactly(WebFixture.FLAGGED_ID);
        WebElement chip = driver.findElement(By.cssSelector("tr[data-id='" + WebFixture.FLAGGED_ID + "'] .chip.sev-error"));
        assertThat(chip.getText()).isEqualTo("truncated");
        assertThat(chip.getAttribute("title")).isEqualTo("the reply ends mid-sentence");

        driver.get(base + "/conversations");
        long count = project.db().conversations().count(ConversationFilter.all());
        assertThat(driver.findElement(By.id("bulk-approve")).getText()).isEqualTo("Approve all " + (count - 1));
        assertThat(driver.findElement(By.id("include-errors-label")).getText()).contains("1 with an error flag");

        Map<String, Verdict> before = verdicts();
        List<String> picked = List.of("conv-010", "conv-012");
        for (String id : picked) driver.findElement(By.cssSelector("input.row-select[value='" + id + "']")).click();
        new Select(driver.findElement(By.id("bulk-action"))).selectByValue("reject");
        driver.findElement(By.id("bulk-reason")).sendKeys("Off-topic");
        driver.findElement(By.id("bulk-apply")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-done"), "Rejected 2"));
        Map<String, Verdict> after = verdicts();
        for (String id : before.keySet()) {
            if (picked.contains(id)) assertThat(after.get(id)).isEqualTo(new Verdict(ReviewStatus.REJECTED, false, "Off-topic"));
            else assertThat(after.get(id)).as(id).isEqualTo(before.get(id));
        }

        driver.get(base + "/conversations");
        driver.findElement(By.cssSelector("input.row-select[value='conv-010']")).click();
        new Select(driver.findElement(By.id("bulk-action"))).selectByValue("seed");
        driver.findElement(By.id("bulk-apply")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-done"), "Marked as seeds 1"));
        assertThat(verdict("conv-010")).isEqualTo(new Verdict(ReviewStatus.APPROVED, true, null));
        assertThat(verdict("conv-012").status()).isEqualTo(ReviewStatus.REJECTED);

        driver.findElement(By.cssSelector("input.row-select[value='conv-010']")).click();
        driver.findElement(By.cssSelector("input.row-select[value='conv-012']")).click();
        new Select(driver.findElement(By.id("bulk-action"))).selectByValue("reset");
        driver.findElement(By.id("bulk-apply")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-done"), "Reset to pending 2"));
        assertThat(verdict("conv-010")).isEqualTo(Verdict.PENDING);
        assertThat(verdict("conv-012")).isEqualTo(Verdict.PENDING);
    }

    @Test
    @Order(8)
    void noPageScrollsSidewaysAt400PxAndEveryNavigationLinkIsReachable() throws Exception {
        List<String> pages = List.of("/", "/conversations", "/review", "/review?id=" + REPEATING_ID, "/generate", "/export",
                "/signoff", "/reviewers", "/eval");
        try {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", 400, "height", 900, "deviceScaleFactor", 1, "mobile", false));
            for (String path : pages) {
                driver.get(base + path);
                assertThat(((Number) driver.executeScript("return window.innerWidth")).intValue()).isEqualTo(400);
                Number scroll = (Number) driver.executeScript("return document.documentElement.scrollWidth");
                assertThat(scroll.intValue()).as(path + " scrollWidth at 400 px").isLessThanOrEqualTo(400);
                List<?> unreachable = (List<?>) driver.executeScript("""
                        return Array.from(document.querySelectorAll('header.top nav a')).filter(a => {
                          const r = a.getBoundingClientRect();
                          return r.width === 0 || r.left < 0 || r.right > window.innerWidth;
                        }).map(a => a.textContent);""");
                assertThat(unreachable).as(path + " navigation links out of reach").isEmpty();
                String shot = switch (path) {
                    case "/" -> "dashboard-400.png";
                    case "/conversations" -> "conversations-400.png";
                    case "/review?id=" + REPEATING_ID -> "review-400.png";
                    default -> null;
                };
                if (shot != null) BrowserReviewTest.screenshot(driver, shot);
            }
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", 1400, "height", 1000, "deviceScaleFactor", 1, "mobile", false));
            for (String path : pages) {
                driver.get(base + path);
                List<?> overflowing = (List<?>) driver.executeScript("""
                        return Array.from(document.querySelectorAll('.card, table, .review-bar')).filter(e => {
                          const card = e.closest('.card') || e;
                          return e.getBoundingClientRect().right > card.getBoundingClientRect().right + 1
                              || (e.classList.contains('card') && e.scrollWidth > e.clientWidth + 1);
                        }).map(e => e.tagName + '.' + e.className);""");
                assertThat(overflowing).as(path + " elements overflowing their card at 1400 px").isEmpty();
            }
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Test
    @Order(9)
    void dashboardCoverageIsWhatReportJsonCounts() throws Exception {
        var run = dev.brun.cli.CliRun.of("report", "--json", "--project", dir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        var coverage = tools.jackson.databind.json.JsonMapper.builder().build().readTree(run.out()).get("coverage");
        assertThat(coverage.size()).isEqualTo(project.pack().personas().size() + project.pack().arcs().size()
                + project.pack().topics().size());
        driver.get(base + "/");
        int unmet = 0;
        for (var line : coverage) {
            String css = "td[data-dimension='" + line.get("dimension").asText() + "'][data-key='" + line.get("key").asText() + "']";
            WebElement cell = driver.findElement(By.cssSelector(css));
            assertThat(cell.getAttribute("data-usable")).as(css).isEqualTo(line.get("usable").asText());
            boolean met = line.get("missing").asInt() == 0;
            if (!met) unmet++;
            assertThat(cell.getAttribute("class")).as(css).contains(met ? "ok" : "short");
        }
        assertThat(unmet).isPositive();
        assertThat(driver.findElement(By.id("coverage-verdict")).getText()).isEqualTo(unmet + " minimums not met yet");
        // No heat-map cell is green while its target is unmet: at this size none is.
        assertThat(driver.findElements(By.cssSelector("table.heat td.heat-4"))).isEmpty();
    }

    @Test
    @Order(10)
    void theExportPreviewSaysExportWouldStopOnSimulatedDataUnlessTicked() {
        var pack = project.pack();
        Conversation c = WebFixture.conversation(pack, "conv-sim", 0, 0, 0, "Simulated worry.", "Simulated reply.");
        project.db().conversations().insertImported(new Conversation(c.id(), null, c.scaffolding(), c.sessionContext(),
                c.expectedOutcome(), c.turns(), Source.GENERATED, "simulated", "sim-model"));
        project.db().quality().putScores("conv-sim", new Scores(4, 4, 4, 4, 4, "heuristic", Map.of()));
        driver.get(base + "/export");
        new Select(driver.findElement(By.name("selection"))).selectByValue("all");
        wait.until(d -> d.findElement(By.id("preview")).getText().contains("export stops")
                || d.findElement(By.id("preview")).getText().contains("left out"));
        assertThat(driver.findElement(By.id("export-verdict")).getText()).as(driver.findElement(By.id("preview")).getText()).contains("export stops");
        assertThat(driver.findElement(By.id("included-count")).getText()).isEqualTo("0");
        driver.findElement(By.name("allowSimulated")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("export-verdict"), "will be exported"));
        assertThat(Long.parseLong(driver.findElement(By.id("included-count")).getText())).isPositive();
    }

    private static boolean inViewport(WebElement e) {
        return (Boolean) driver.executeScript("""
                const r = arguments[0].getBoundingClientRect();
                return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0;""", e);
    }

    private static List<String> ids(ConversationFilter filter) {
        return project.db().conversations().list(filter, ConversationOrder.CREATED, 0, 1000).items().stream()
                .map(ConversationRow::id).toList();
    }

    private static Map<String, Verdict> verdicts() {
        Map<String, Verdict> out = new HashMap<>();
        for (String id : ids(ConversationFilter.all())) out.put(id, verdict(id));
        return out;
    }

    private static Verdict verdict(String id) {
        return project.db().reviews().verdict(id);
    }

    private static String reviewId() {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.id("review"))).getAttribute("data-id");
    }

    private static void press(CharSequence key) {
        new Actions(driver).sendKeys(key).perform();
    }

    /** Presses a key that replaces the conversation on screen and waits until the new one is there. */
    private static void pressAndWait(CharSequence key) {
        WebElement page = driver.findElement(By.id("review"));
        press(key);
        wait.until(ExpectedConditions.stalenessOf(page));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("review")));
    }
}

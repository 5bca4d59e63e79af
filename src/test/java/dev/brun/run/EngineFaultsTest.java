package dev.brun.run;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.RecordedRequest;
import dev.brun.llm.sim.ScriptedResponse;
import dev.brun.pack.Arc;
import dev.brun.project.Project;
import dev.brun.store.ConversationFilter;
import dev.brun.store.LedgerEntry;
import dev.brun.store.UnitRecord;
import dev.brun.store.UnitState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.brun.run.EngineFixtures.API_KEY;
import static dev.brun.run.EngineFixtures.emptyContent;
import static dev.brun.run.EngineFixtures.outcomes;
import static dev.brun.run.EngineFixtures.scriptedCost;
import static dev.brun.run.EngineFixtures.text;
import static dev.brun.run.EngineFixtures.toolUse;
import static dev.brun.run.EngineFixtures.validConversation;
import static dev.brun.store.LedgerOutcome.FAILED;
import static dev.brun.store.LedgerOutcome.RETRIED;
import static dev.brun.store.LedgerOutcome.STORED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The engine against a fake Anthropic server over real HTTP: each scripted fault ends in the right unit
 * state and the right ledger lines (a line per billed call, none for calls the provider did not answer).
 */
class EngineFaultsTest {
    private static final String ONE_UNIT = "persona=overwhelmed_avoider,arc=confusion_to_clarity,topic=career_change_income_reduction";
    private static final String TWENTY_UNITS = "persona=overwhelmed_avoider,arc=confusion_to_clarity";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir static Path templates;
    private static Path oneUnitTemplate;
    private static Path twentyUnitTemplate;

    @TempDir Path tmp;
    private FakeProviderServer fake;
    private Project project;
    private Arc arc;
    private UnitRecord unit;

    @BeforeAll
    static void planTemplates() {
        oneUnitTemplate = EngineFixtures.plannedProject(templates.resolve("one"), ONE_UNIT);
        twentyUnitTemplate = EngineFixtures.plannedProject(templates.resolve("twenty"), TWENTY_UNITS);
    }

    @BeforeEach
    void startServer() {
        fake = new FakeProviderServer();
        fake.start();
    }

    @AfterEach
    void stop() {
        if (project != null) project.close();
        fake.close();
    }

    private void open(Path template) {
        project = Project.open(EngineFixtures.copy(template, tmp.resolve("p")));
        unit = project.db().units().pending(null).getFirst();
        arc = project.pack().arc(unit.arcKey()).orElseThrow();
        fake.respondWith(FakeProviderServer.MESSAGES, r -> toolUse(validConversation(arc), "tool_use"));
    }

    private RunSummary run(Duration timeout, int maxAttempts) {
        var client = EngineFixtures.anthropic(fake.baseUrl(), timeout, EngineFixtures.fastResilience(maxAttempts));
        return EngineFixtures.engine(project, client, EngineSettings.defaults().withWorkers(8)).run();
    }

    private RunSummary run() { return run(TIMEOUT, 4); }

    private UnitRecord unitNow() { return project.db().units().find(unit.key()).orElseThrow(); }

    private int requests() { return fake.requests(FakeProviderServer.MESSAGES).size(); }

    private long conversations() { return project.db().conversations().count(ConversationFilter.all()); }

    private void assertStoredOnceAfter(int expectedRequests) {
        assertThat(unitNow().state()).isEqualTo(UnitState.DONE);
        assertThat(requests()).isEqualTo(expectedRequests);
        assertThat(outcomes(project, unit.key())).as("only the answered call is billed").containsExactly(STORED);
        assertThat(project.db().conversations().findByUnitKey(unit.key())).isPresent();
        assertThat(conversations()).isEqualTo(1);
    }

    private void assertRepaired(String what) {
        String id = ReplyParser.conversationId(unit.key());
        assertThat(project.db().quality().flags(id)).filteredOn(f -> f.code().equals(dev.brun.store.QualityDao.REPAIRED))
                .singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(dev.brun.conversation.Severity.WARNING);
                    assertThat(f.reason()).contains(what);
                });
    }

    private void assertFailed(String reason, List<dev.brun.store.LedgerOutcome> ledger) {
        UnitRecord u = unitNow();
        assertThat(u.state()).isEqualTo(UnitState.FAILED);
        assertThat(u.failureReason()).isEqualTo(reason);
        assertThat(u.failureDetail()).isNotBlank();
        assertThat(outcomes(project, unit.key())).containsExactlyElementsOf(ledger);
        assertThat(conversations()).as("nothing half-valid is stored").isZero();
    }

    @Test
    void rateLimitedWithRetryAfterWaitsThatLongThenStores() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, ScriptedResponse.anthropicError(429, "rate_limit_error", "slow down")
                .withHeader("retry-after-ms", "600").withHeader("retry-after", "1"));
        long start = System.nanoTime();
        RunSummary s = run();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertStoredOnceAfter(2);
        assertThat(elapsedMs).as("retry-after-ms honoured").isGreaterThanOrEqualTo(600);
        assertThat(s.rateLimited()).isEqualTo(1);
        assertThat(s.retries()).isEqualTo(1);
        assertThat(s.done()).isEqualTo(1);
        assertThat(s.complete()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {529, 500, 502, 503})
    void transientServerErrorIsRetriedAndOnlyTheAnsweredCallIsBilled(int status) {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, ScriptedResponse.anthropicError(status, status == 529 ? "overloaded_error" : "api_error", "try again"));
        RunSummary s = run();
        assertStoredOnceAfter(2);
        assertThat(s.retries()).isEqualTo(1);
        assertThat(project.db().ledger().totalSpend()).isCloseTo(scriptedCost(900), within(1e-12));
    }

    @Test
    void serverErrorsBeyondTheAttemptLimitFailTheUnitWithTheStatus() {
        open(oneUnitTemplate);
        ScriptedResponse err = ScriptedResponse.anthropicError(500, "api_error", "internal");
        fake.script(FakeProviderServer.MESSAGES, err, err, err);
        RunSummary s = run(TIMEOUT, 3);
        assertThat(requests()).isEqualTo(3);
        assertFailed("server", List.of());
        assertThat(unitNow().failureDetail()).contains("HTTP 500");
        assertThat(s.failuresByReason()).containsEntry("server", 1);
    }

    @Test
    void attemptsCountEveryHttpAttemptOfTheUnit() {
        open(oneUnitTemplate);
        ScriptedResponse err = ScriptedResponse.anthropicError(500, "api_error", "internal");
        fake.script(FakeProviderServer.MESSAGES, err, err, err, err, err);
        run(TIMEOUT, 5);
        assertThat(requests()).isEqualTo(5);
        assertThat(unitNow().attempts()).as("a unit that failed after 5 attempts records 5").isEqualTo(5);
    }

    @Test
    void aStoredConversationRecordsTheRetriesAndReAsksItTook() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, ScriptedResponse.anthropicError(529, "overloaded_error", "busy"),
                text("{\"session_context\": \"A first meeting about", "max_tokens", 4000));
        run();
        assertThat(requests()).isEqualTo(3);
        assertThat(unitNow().attempts()).isEqualTo(3);
        assertThat(project.db().conversations().findByUnitKey(unit.key()).orElseThrow().generation().orElseThrow().attempts()).isEqualTo(3);
    }

    @Test
    void connectionResetMidBodyIsRetried() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, toolUse(validConversation(arc), "tool_use").truncated());
        RunSummary s = run();
        assertStoredOnceAfter(2);
        assertThat(s.retries()).isEqualTo(1);
    }

    @Test
    void readTimeoutIsRetried() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, toolUse(validConversation(arc), "tool_use").withDelay(Duration.ofMillis(1500)));
        RunSummary s = run(Duration.ofMillis(500), 4);
        assertStoredOnceAfter(2);
        assertThat(s.retries()).isEqualTo(1);
    }

    @Test
    void slowBodyWithinTheTimeoutIsReadWholeWithoutRetry() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, toolUse(validConversation(arc), "tool_use").slowBody(Duration.ofMillis(120)));
        RunSummary s = run(Duration.ofSeconds(3), 4);
        assertStoredOnceAfter(1);
        assertThat(s.retries()).isZero();
    }

    @Test
    void bodyStallingPastTheTimeoutIsRetried() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, toolUse(validConversation(arc), "tool_use").slowBody(Duration.ofMillis(300)));
        RunSummary s = run(Duration.ofMillis(700), 4);
        assertStoredOnceAfter(2);
        assertThat(s.retries()).isEqualTo(1);
    }

    @Test
    void maxTokensStopIsRetriedOnceWithALargerLimitThenStored() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, text("{\"session_context\": \"A first meeting about", "max_tokens", 4000));
        RunSummary s = run();
        List<RecordedRequest> sent = fake.requests(FakeProviderServer.MESSAGES);
        assertThat(sent).hasSize(2);
        int first = sent.get(0).json().path("max_tokens").asInt();
        int second = sent.get(1).json().path("max_tokens").asInt();
        assertThat(first).isPositive();
        assertThat(second).isGreaterThan(first);
        assertThat(unitNow().state()).isEqualTo(UnitState.DONE);
        assertThat(outcomes(project, unit.key())).as("the truncated call was billed too").containsExactly(RETRIED, STORED);
        assertThat(project.db().ledger().totalSpend()).isCloseTo(scriptedCost(4000) + scriptedCost(900), within(1e-12));
        assertThat(s.done()).isEqualTo(1);
    }

    @Test
    void maxTokensStopTwiceFailsTheUnitAsTruncatedWithBothCallsBilled() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, text("{\"turns\": [", "max_tokens", 4000), text("{\"turns\": [{", "max_tokens", 8000));
        RunSummary s = run();
        assertThat(requests()).isEqualTo(2);
        assertFailed("truncated", List.of(RETRIED, FAILED));
        assertThat(project.db().ledger().totalSpend()).isCloseTo(scriptedCost(4000) + scriptedCost(8000), within(1e-12));
        assertThat(s.failuresByReason()).containsEntry("truncated", 1);
    }

    @Test
    void replyWithoutToolUseOrJsonGetsOneRepairRetryThenStores() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, text("Here is a lovely conversation about budgeting, in prose.", "end_turn", 30));
        run();
        assertThat(requests()).isEqualTo(2);
        assertThat(unitNow().state()).isEqualTo(UnitState.DONE);
        assertThat(outcomes(project, unit.key())).containsExactly(RETRIED, STORED);
    }

    @Test
    void invalidJsonTwiceFailsTheUnitAsInvalidJson() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, text("{\"turns\": [oops", "end_turn", 30), text("{not json at all}", "end_turn", 30));
        RunSummary s = run();
        assertThat(requests()).isEqualTo(2);
        assertFailed("invalid_json", List.of(RETRIED, FAILED));
        assertThat(unitNow().failureDetail()).contains("not a JSON object");
        assertThat(s.failuresByReason()).containsEntry("invalid_json", 1);
    }

    @Test
    void bodyThatIsNotJsonAtAllFailsTheUnitWithoutRetry() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, ScriptedResponse.json(200, "<html>gateway says hi</html>"));
        run();
        assertThat(requests()).isEqualTo(1);
        assertFailed("invalid_response", List.of());
        assertThat(unitNow().failureDetail()).contains("not valid JSON");
    }

    @Test
    void missingExpectedOutcomeIsWrittenFromTheArcAndTheReplyKept() {
        open(oneUnitTemplate);
        ObjectNode broken = validConversation(arc);
        broken.remove("expected_outcome");
        fake.script(FakeProviderServer.MESSAGES, toolUse(broken, "tool_use"));
        run();
        assertStoredOnceAfter(1);
        assertRepaired("expected_outcome");
    }

    @Test
    void phaseOfAnotherArcBecomesTheUnitsStageAtTheSamePosition() {
        open(oneUnitTemplate);
        ObjectNode broken = validConversation(arc);
        ((ObjectNode) broken.get("turns").get(1)).put("phase", "grief_processing");
        fake.script(FakeProviderServer.MESSAGES, toolUse(broken, "tool_use"));
        run();
        assertStoredOnceAfter(1);
        assertRepaired("turns[1].phase 'grief_processing'");
        assertThat(project.db().conversations().findByUnitKey(unit.key()).orElseThrow().conversation().turns().get(1).phase())
                .isIn(arc.stageKeys());
    }

    @Test
    void tooFewExchangesAreKeptAndFlagged() {
        open(oneUnitTemplate);
        ObjectNode broken = validConversation(arc);
        var turns = (tools.jackson.databind.node.ArrayNode) broken.get("turns");
        while (turns.size() > 2) turns.remove(turns.size() - 1);
        fake.script(FakeProviderServer.MESSAGES, toolUse(broken, "tool_use"));
        run();
        assertStoredOnceAfter(1);
        assertRepaired("exchanges");
    }

    @Test
    void aReplyWithNoAnsweredUserMessageFailsAsNoExchange() {
        open(oneUnitTemplate);
        ObjectNode broken = validConversation(arc);
        var turns = (tools.jackson.databind.node.ArrayNode) broken.get("turns");
        for (int i = turns.size() - 1; i >= 0; i--) if (turns.get(i).path("role").asString().equals("assistant")) turns.remove(i);
        fake.script(FakeProviderServer.MESSAGES, toolUse(broken, "tool_use"));
        run();
        assertFailed("no_exchange", List.of(FAILED));
        var discarded = project.db().units().discardedByReason();
        assertThat(discarded).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("no_exchange");
            assertThat(d.replies()).isEqualTo(1);
            assertThat(d.costUsd()).isEqualTo(scriptedCost(900), within(1e-9));
        });
        assertThat(dev.brun.store.DiscardedSpend.lines(discarded))
                .containsExactly(String.format(java.util.Locale.ROOT, "discarded: 1 reply, $%.2f, no_exchange", scriptedCost(900)));
    }

    @Test
    void emptyContentGetsOneRepairRetryThenFailsSayingSo() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, emptyContent(), emptyContent());
        run();
        assertThat(requests()).isEqualTo(2);
        assertFailed("invalid_json", List.of(RETRIED, FAILED));
        assertThat(unitNow().failureDetail()).contains("no content");
    }

    @Test
    void anEmptyTurnIsDroppedAndItsNeighboursJoined() {
        open(oneUnitTemplate);
        ObjectNode broken = validConversation(arc);
        ((ObjectNode) broken.get("turns").get(2)).put("content", "   ");
        fake.script(FakeProviderServer.MESSAGES, toolUse(broken, "tool_use"));
        run();
        assertStoredOnceAfter(1);
        assertRepaired("turns[2] (user) was empty");
    }

    @Test
    void refusalFailsTheUnitWithoutRetry() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, text("I can't help with writing that.", "refusal", 12));
        RunSummary s = run();
        assertThat(requests()).isEqualTo(1);
        assertFailed("refusal", List.of(FAILED));
        assertThat(unitNow().failureDetail()).contains("can't help");
        assertThat(s.failuresByReason()).containsEntry("refusal", 1);
    }

    @Test
    void badRequestFailsTheUnitAtOnceWithTheProvidersMessage() {
        open(oneUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, ScriptedResponse.anthropicError(400, "invalid_request_error", "max_tokens: too large for this model"));
        run();
        assertThat(requests()).isEqualTo(1);
        assertFailed("bad_request", List.of());
        assertThat(unitNow().failureDetail()).contains("max_tokens: too large for this model");
    }

    @Test
    void unauthorizedStopsTheRunAfterOneRequestWithoutLeakingTheKey() {
        open(twentyUnitTemplate);
        fake.script(FakeProviderServer.MESSAGES, ScriptedResponse.anthropicError(401, "authentication_error",
                "invalid x-api-key " + API_KEY));
        RunSummary s = run();
        assertThat(requests()).as("no retry storm").isEqualTo(1);
        assertThat(fake.requests(FakeProviderServer.MESSAGES).getFirst().header("x-api-key")).isEqualTo(API_KEY);
        assertThat(s.complete()).isFalse();
        assertThat(s.stopReason()).contains("HTTP 401").contains("ANTHROPIC_API_KEY").doesNotContain(API_KEY);
        assertThat(s.done()).isZero();
        assertThat(s.failed()).isZero();
        assertThat(project.db().units().pending(null)).as("every unit stays pending for the next run").hasSize(20);
        assertThat(project.db().units().leased()).isEmpty();
        List<LedgerEntry> ledger = project.db().ledger().forUnit(unit.key());
        assertThat(ledger).isEmpty();
        assertThat(project.db().ledger().totals().calls()).isZero();
    }
}

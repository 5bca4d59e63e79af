package dev.brun.eval;

import dev.brun.WorkFailedException;
import dev.brun.conversation.Generation;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmClient;
import dev.brun.llm.LlmException;
import dev.brun.llm.SystemBlock;
import dev.brun.llm.ToolSpec;
import dev.brun.llm.Usage;
import dev.brun.plan.PriceTable;
import dev.brun.store.InFlightCall;
import dev.brun.store.LedgerDao;
import dev.brun.store.LedgerEntry;
import dev.brun.store.LedgerOutcome;
import dev.brun.store.Reservation;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Judge calls of an eval through the project's provider client (its retries and pacing), each reserved against
 * the project's budget in the database before it is sent (so the cap holds across processes, as for
 * generation) and written to the spend ledger, under its eval key, when the reply arrives.
 */
public final class EvalJudge {
    public static final String PHASE = "eval";
    static final int MAX_TOKENS = 1_024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LlmClient client;
    private final String model;
    private final PriceTable prices;
    private final LedgerDao ledger;
    private final double capUsd;
    private final String owner;
    private final BooleanSupplier stopping;

    /** @param capUsd the spend the project may reach (billed and reserved), infinity for none */
    public EvalJudge(LlmClient client, String model, PriceTable prices, LedgerDao ledger, double capUsd, String owner, BooleanSupplier stopping) {
        prices.price(model); // an unpriced model fails here, before any call, with what to add to brun.yaml
        this.client = client;
        this.model = model;
        this.prices = prices;
        this.ledger = ledger;
        this.capUsd = capUsd;
        this.owner = owner;
        this.stopping = stopping;
    }

    public String model() { return model; }

    /** Worst-case dollars of one call with this prompt (every prompt token at the cache-write price, full output). */
    public double worstCase(String system, String user) {
        return prices.worstCase(model, (system.length() + user.length()) / 4 + 1, MAX_TOKENS);
    }

    public double expected(String system, String user) {
        return prices.expected(model, (system.length() + user.length()) / 4 + 1, MAX_TOKENS);
    }

    /**
     * One judge call; its answer's JSON text.
     *
     * @param key the eval key of the verdict, recorded as the ledger line's unit key
     * @throws WorkFailedException when the budget cannot hold the call
     */
    public String complete(String key, String tool, String system, String user, String schema) {
        // Temperature 0: the same reply should get the same verdict on a rerun.
        GenerationRequest request = new GenerationRequest(model, List.of(SystemBlock.cached(system)), user,
                new ToolSpec(tool, "Submit the verdict.", JSON.readTree(schema)), 0.0, MAX_TOKENS, key);
        double worst = prices.worstCase(model, request.estimatedInputTokens(), request.maxTokens(), request.cacheTtl());
        double expected = Math.min(worst, prices.expected(model, request.estimatedInputTokens(), request.maxTokens()));
        InFlightCall line = new InFlightCall(key, PHASE, 1, model, owner, expected, worst, false);
        Reservation reservation;
        while (!(reservation = ledger.reserve(line, capUsd)).granted()) {
            boolean waiting = reservation.inFlight() > 0 && !stopping.getAsBoolean();
            while (waiting && !ledger.mightFit(worst, capUsd)) waiting = pause() && !stopping.getAsBoolean();
            if (!waiting)
                throw new WorkFailedException(String.format(Locale.ROOT,
                        "budget: the next judge call could cost up to $%.4f and only $%.4f of the $%.2f cap is left; raise --budget or budget_usd to judge the rest",
                        worst, Math.max(0, capUsd - reservation.spentUsd() - reservation.reservedUsd()), capUsd));
        }
        GenerationResult r;
        try {
            r = client.generate(request);
        } catch (LlmException e) {
            ledger.release(reservation.id());
            throw e;
        }
        Usage u = r.usage();
        double cost = prices.cost(model, u, false);
        Generation call = new Generation(client.provider(), model, 0.0, u.inputTokens(), u.outputTokens(), u.cacheReadTokens(),
                u.cacheWriteTokens(), cost, r.latencyMillis(), r.stopReason().name().toLowerCase(Locale.ROOT), r.attempts(), r.requestId());
        ledger.record(LedgerEntry.of(key, PHASE, call, u.cacheWrite1hTokens(), false, LedgerOutcome.STORED, Instant.now()));
        return r.toolInput() != null ? r.toolInput().toString() : r.text();
    }

    private static boolean pause() {
        try {
            Thread.sleep(200);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

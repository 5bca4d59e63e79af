package dev.brun.eval;

import dev.brun.WorkFailedException;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.LlmClient;
import dev.brun.llm.SystemBlock;
import dev.brun.llm.ToolSpec;
import dev.brun.plan.PriceTable;
import dev.brun.quality.LedgeredCall;
import dev.brun.store.LedgerDao;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
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

    private final String model;
    private final PriceTable prices;
    private final LedgeredCall calls;
    private final BooleanSupplier stopping;

    /** @param capUsd the spend the project may reach (billed and reserved), infinity for none */
    public EvalJudge(LlmClient client, String model, PriceTable prices, LedgerDao ledger, double capUsd, String owner, BooleanSupplier stopping) {
        prices.price(model); // an unpriced model fails here, before any call, with what to add to brun.yaml
        this.model = model;
        this.prices = prices;
        this.calls = new LedgeredCall(client, prices, ledger, capUsd, owner);
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
        return LedgeredCall.answer(calls.send(request, key, PHASE, () -> !stopping.getAsBoolean(),
                "raise --budget or budget_usd to judge the rest"));
    }
}

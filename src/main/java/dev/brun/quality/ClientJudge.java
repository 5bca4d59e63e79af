package dev.brun.quality;

import dev.brun.llm.GenerationRequest;
import dev.brun.llm.LlmClient;
import dev.brun.llm.SystemBlock;
import dev.brun.llm.ToolSpec;
import dev.brun.plan.PriceTable;
import dev.brun.store.LedgerDao;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * An LLM judge through brun's provider clients (their retries and pacing included): the rubric goes out as a
 * forced tool whose input is the score JSON, each answered call is written to the spend ledger (phase
 * {@value #PHASE}), and no call starts whose worst case could break the project's budget: each call's worst case
 * is reserved in the database before it is sent, so judges, generation runs and batches of every process share one cap.
 */
public final class ClientJudge implements LlmJudge {
    public static final String PHASE = "judge";
    public static final String TOOL = "submit_scores";
    /** Four scores with a few short reasons each fit well within this. */
    static final int MAX_TOKENS = 1_024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String model;
    private final LedgeredCall calls;

    /**
     * @param budgetUsd the project's cap ({@code Double.POSITIVE_INFINITY} for none)
     * @param owner     this process's lease-owner id: a reservation left by a process that died is counted as possibly billed
     */
    public ClientJudge(LlmClient client, String model, PriceTable prices, double budgetUsd, LedgerDao ledger, String owner) {
        prices.price(model); // an unpriced model fails here, before any call, with what to add to brun.yaml
        this.model = model;
        this.calls = new LedgeredCall(client, prices, ledger, budgetUsd, owner);
    }

    public String model() { return model; }

    @Override
    public String complete(String system, String user, String replyJsonSchema) {
        // Temperature 0: the same conversation should get the same verdict on a rerun.
        GenerationRequest request = new GenerationRequest(model, List.of(SystemBlock.cached(system)), user,
                new ToolSpec(TOOL, "Submit the rubric scores and reasons for this conversation.", JSON.readTree(replyJsonSchema)),
                0.0, MAX_TOKENS, PHASE);
        // A judge run is sequential: a call that does not fit fails at once instead of waiting for others.
        return LedgeredCall.answer(calls.send(request, null, PHASE, () -> false, "raise budget_usd in brun.yaml to judge the rest"));
    }
}

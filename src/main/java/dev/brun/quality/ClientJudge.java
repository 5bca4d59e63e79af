package dev.brun.quality;

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

    private final LlmClient client;
    private final String model;
    private final PriceTable prices;
    private final double budgetUsd;
    private final LedgerDao ledger;
    private final String owner;

    /**
     * @param budgetUsd the project's cap ({@code Double.POSITIVE_INFINITY} for none)
     * @param owner     this process's lease-owner id: a reservation left by a process that died is counted as possibly billed
     */
    public ClientJudge(LlmClient client, String model, PriceTable prices, double budgetUsd, LedgerDao ledger, String owner) {
        prices.price(model); // an unpriced model fails here, before any call, with what to add to brun.yaml
        this.client = client;
        this.model = model;
        this.prices = prices;
        this.budgetUsd = budgetUsd;
        this.ledger = ledger;
        this.owner = owner;
    }

    public String model() { return model; }

    @Override
    public String complete(String system, String user, String replyJsonSchema) {
        // Temperature 0: the same conversation should get the same verdict on a rerun.
        GenerationRequest request = new GenerationRequest(model, List.of(SystemBlock.cached(system)), user,
                new ToolSpec(TOOL, "Submit the rubric scores and reasons for this conversation.", JSON.readTree(replyJsonSchema)),
                0.0, MAX_TOKENS, PHASE);
        double worst = prices.worstCase(model, request.estimatedInputTokens(), request.maxTokens());
        double expected = Math.min(worst, prices.expected(model, request.estimatedInputTokens(), request.maxTokens()));
        Reservation reservation = ledger.reserve(new InFlightCall(null, PHASE, 1, model, owner, expected, worst, false), budgetUsd);
        if (!reservation.granted())
            throw new WorkFailedException(String.format(Locale.ROOT,
                    "budget: the next judge call could cost up to $%.4f and only $%.4f of the $%.2f cap is left;"
                            + " raise budget_usd in brun.yaml to judge the rest", worst,
                    Math.max(0, budgetUsd - reservation.spentUsd() - reservation.reservedUsd()), budgetUsd));
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
        ledger.settle(reservation.id(), LedgerEntry.of(null, PHASE, call, false, LedgerOutcome.STORED, Instant.now()));
        if (r.toolInput() != null) return r.toolInput().toString();
        return r.text();
    }
}

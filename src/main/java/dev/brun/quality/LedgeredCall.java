package dev.brun.quality;

import dev.brun.WorkFailedException;
import dev.brun.conversation.Generation;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmClient;
import dev.brun.llm.LlmException;
import dev.brun.llm.Usage;
import dev.brun.plan.PriceTable;
import dev.brun.store.InFlightCall;
import dev.brun.store.LedgerDao;
import dev.brun.store.LedgerEntry;
import dev.brun.store.LedgerOutcome;
import dev.brun.store.Reservation;

import java.time.Instant;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * A judge call outside generation units, paid through the project's ledger: its worst case is reserved in the
 * database before it is sent (so one cap holds for judges, generation and batches of every process), the reply
 * settles the reservation with what was billed, and a call that failed gives it back.
 */
public final class LedgeredCall {
    private final LlmClient client;
    private final PriceTable prices;
    private final LedgerDao ledger;
    private final double capUsd;
    private final String owner;

    /**
     * @param capUsd the project's cap ({@code Double.POSITIVE_INFINITY} for none)
     * @param owner  this process's lease-owner id: a reservation left by a process that died is counted as possibly billed
     */
    public LedgeredCall(LlmClient client, PriceTable prices, LedgerDao ledger, double capUsd, String owner) {
        this.client = client;
        this.prices = prices;
        this.ledger = ledger;
        this.capUsd = capUsd;
        this.owner = owner;
    }

    /**
     * Sends the request once the budget holds its worst case.
     *
     * @param unitKey   the ledger line's unit key (null for none)
     * @param mayWait   asked while other calls' reservations hold the budget: true waits for them to settle, false gives up
     * @param raiseHint what the budget message tells the user to raise
     * @throws WorkFailedException when the budget cannot hold the call
     */
    public GenerationResult send(GenerationRequest request, String unitKey, String phase, BooleanSupplier mayWait, String raiseHint) {
        String model = request.model();
        double worst = prices.worstCase(model, request.estimatedInputTokens(), request.maxTokens(), request.cacheTtl());
        double expected = Math.min(worst, prices.expected(model, request.estimatedInputTokens(), request.maxTokens()));
        InFlightCall line = new InFlightCall(unitKey, phase, 1, model, owner, expected, worst, false);
        Reservation reservation;
        while (!(reservation = ledger.reserve(line, capUsd)).granted()) {
            boolean waiting = reservation.inFlight() > 0 && mayWait.getAsBoolean();
            while (waiting && !ledger.mightFit(worst, capUsd)) waiting = pause() && mayWait.getAsBoolean();
            if (!waiting)
                throw new WorkFailedException(String.format(Locale.ROOT,
                        "budget: the next judge call could cost up to $%.4f and only $%.4f of the $%.2f cap is left; %s",
                        worst, Math.max(0, capUsd - reservation.spentUsd() - reservation.reservedUsd()), capUsd, raiseHint));
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
        Generation call = new Generation(client.provider(), model, request.temperature(), u.inputTokens(), u.outputTokens(),
                u.cacheReadTokens(), u.cacheWriteTokens(), cost, r.latencyMillis(), r.stopReason().name().toLowerCase(Locale.ROOT),
                r.attempts(), r.requestId());
        ledger.settle(reservation.id(), LedgerEntry.of(unitKey, phase, call, u.cacheWrite1hTokens(), false, LedgerOutcome.STORED, Instant.now()));
        return r;
    }

    /** The answer's JSON text: the forced tool's input, or the text when the model answered without the tool. */
    public static String answer(GenerationResult r) {
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

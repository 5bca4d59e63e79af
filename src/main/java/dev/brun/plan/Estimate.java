package dev.brun.plan;

import java.util.List;

/** An estimate before anything is spent, with the seed document's reference point beside it. */
public record Estimate(List<EstimateLine> lines, Totals totals, Reference reference, String tokenMethod) {
    public record Totals(int units, long promptTokens, long outputTokens, double costPlain, double costCached,
                         double costBatch, double costCachedBatch) {}

    /** The seed document's figure: 2,000 input + 1,500 output tokens at $3/$15 per million, about $0.03 per conversation. */
    public record Reference(long inputTokens, long outputTokens, double inputPerMillion, double outputPerMillion,
                            double perConversation) {
        public static Reference seedDocument() {
            double per = 2000 * 3.0 / 1e6 + 1500 * 15.0 / 1e6;
            return new Reference(2000, 1500, 3.0, 15.0, per);
        }
    }

    static Totals total(List<EstimateLine> lines) {
        int units = 0;
        long prompt = 0, output = 0;
        double plain = 0, cached = 0, batch = 0, both = 0;
        for (EstimateLine l : lines) {
            units += l.units(); prompt += l.promptTokens(); output += l.outputTokens();
            plain += l.costPlain(); cached += l.costCached(); batch += l.costBatch(); both += l.costCachedBatch();
        }
        return new Totals(units, prompt, output, plain, cached, batch, both);
    }
}

package dev.brun.review;

import dev.brun.BadInputException;

import java.util.List;

/**
 * What a review plan is asked for: strata dimensions, the defect rate to rule out at a confidence, how many
 * defects a sample may hold and still pass, the seed of the draw, and the share of each sample read twice.
 */
public record PlanParameters(List<StratumDimension> by, double defectRate, double confidence, int acceptDefects, long seed,
                             double overlap) {
    public PlanParameters {
        by = List.copyOf(by);
        if (!(defectRate > 0 && defectRate < 1)) throw new BadInputException("--defect-rate must be between 0 and 1 (e.g. 0.05), got " + defectRate);
        if (!(confidence > 0 && confidence < 1)) throw new BadInputException("--confidence must be between 0 and 1 (e.g. 0.95), got " + confidence);
        if (acceptDefects < 0) throw new BadInputException("--accept-defects must be 0 or more, got " + acceptDefects);
        if (!(overlap >= 0 && overlap <= 1)) throw new BadInputException("--overlap must be between 0 and 1 (e.g. 0.1), got " + overlap);
    }

    public String strataBy() { return StratumDimension.wire(by); }
}

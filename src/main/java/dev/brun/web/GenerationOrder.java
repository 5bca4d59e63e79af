package dev.brun.web;

import dev.brun.pack.Phase;
import dev.brun.plan.PlannedUnit;

import java.util.List;

/**
 * What the Generate page asks for: the units to generate (already planned), on which model, how hot, and
 * whether through the Message Batches API (half price, results within 24 h) like {@code generate --batch}.
 */
public record GenerationOrder(Phase phase, String model, double temperature, List<PlannedUnit> units, String description,
                              boolean batch) {
    public GenerationOrder {
        units = List.copyOf(units);
    }

    /** Synchronous calls, one conversation per call. */
    public GenerationOrder(Phase phase, String model, double temperature, List<PlannedUnit> units, String description) {
        this(phase, model, temperature, units, description, false);
    }
}

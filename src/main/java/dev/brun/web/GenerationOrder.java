package dev.brun.web;

import dev.brun.pack.Phase;
import dev.brun.plan.PlannedUnit;

import java.util.List;

/** What the Generate page asks for: the units to generate (already planned), on which model, how hot. */
public record GenerationOrder(Phase phase, String model, double temperature, List<PlannedUnit> units, String description) {
    public GenerationOrder {
        units = List.copyOf(units);
    }
}

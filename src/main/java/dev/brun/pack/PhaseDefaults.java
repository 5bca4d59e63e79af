package dev.brun.pack;

/** The pack's suggested settings for one phase; brun.yaml may override model and temperature. */
public record PhaseDefaults(String model, double temperature, int variations, int maxTurns) {}

package dev.brun.project;

/** brun.yaml's override for one phase; a null part falls back to the pack's phase defaults. */
public record PhaseSettings(String model, Double temperature) {}

package dev.brun.store;

/** A call about to be sent: its unit (null for calls outside units), attempt, expected and worst-case cost. */
public record InFlightCall(String unitKey, String phase, int attempt, String model, String owner,
                           double expectedUsd, double worstUsd, boolean batch) {}

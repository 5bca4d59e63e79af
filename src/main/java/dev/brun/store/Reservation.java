package dev.brun.store;

/**
 * The answer to a budget reservation: the in-flight line's id when the call fits (null when it does not), and
 * what the whole project had spent and reserved, across every process, when the answer was given.
 */
public record Reservation(Long id, double spentUsd, double reservedUsd, int inFlight) {
    public boolean granted() { return id != null; }
}

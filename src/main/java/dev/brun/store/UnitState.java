package dev.brun.store;

import java.util.Locale;

/** Where a unit of work is: waiting, leased to a worker, stored, or given up on. */
public enum UnitState {
    PENDING, LEASED, DONE, FAILED;
    public String wire() { return name().toLowerCase(Locale.ROOT); }
    public static UnitState fromWire(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
}

package dev.brun.store;

import java.util.Locale;

/** What became of a billed call: its conversation was stored, it failed, or it was retried. */
public enum LedgerOutcome {
    STORED, FAILED, RETRIED;
    public String wire() { return name().toLowerCase(Locale.ROOT); }
    public static LedgerOutcome fromWire(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
}

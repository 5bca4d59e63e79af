package dev.brun.export;

import dev.brun.BadInputException;

import java.util.Locale;

/**
 * Which conversations an export takes: PASSING = no error flag and not rejected by a person (the default),
 * APPROVED = only what a person approved, CERTIFIED = approved by a person or accepted by its stratum's sample
 * (never one with an error flag), ALL = everything except rejected ones.
 */
public enum Selection {
    PASSING, APPROVED, CERTIFIED, ALL;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static Selection fromWire(String s) {
        for (Selection sel : values()) if (sel.wire().equals(s.trim().toLowerCase(Locale.ROOT))) return sel;
        throw new BadInputException("unknown selection '" + s + "' (expected passing, approved, certified or all)");
    }
}

package dev.brun.pack;

import java.util.Locale;

/** The three generation phases of a plan. */
public enum Phase {
    SEED, EXPANSION, EDGE;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static Phase fromWire(String s) {
        for (Phase p : values()) if (p.wire().equals(s.trim().toLowerCase(Locale.ROOT))) return p;
        throw new IllegalArgumentException("unknown phase '" + s + "' (expected seed, expansion or edge)");
    }
}

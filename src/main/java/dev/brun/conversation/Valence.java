package dev.brun.conversation;

public enum Valence {
    POSITIVE, NEGATIVE, MIXED;

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Valence fromWire(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}

package dev.brun.conversation;

public enum Source {
    GENERATED, IMPORTED;
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    public static Source fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
}

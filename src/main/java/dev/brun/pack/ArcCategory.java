package dev.brun.pack;

public enum ArcCategory {
    CORE, EDGE;
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}

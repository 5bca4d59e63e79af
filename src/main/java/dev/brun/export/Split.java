package dev.brun.export;

public enum Split {
    TRAIN, VALIDATION;
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}

package dev.brun.conversation;

public enum ReviewStatus {
    PENDING, APPROVED, REJECTED;
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    public static ReviewStatus fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
}

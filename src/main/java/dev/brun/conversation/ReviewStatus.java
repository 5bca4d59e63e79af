package dev.brun.conversation;

/**
 * Where a conversation stands with people: PENDING (not decided), APPROVED (a person read and approved it),
 * REJECTED (a person rejected it, with a reason), ACCEPTED (certified by its stratum's sample; nobody read it).
 */
public enum ReviewStatus {
    PENDING, APPROVED, REJECTED, ACCEPTED;
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    public static ReviewStatus fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
}

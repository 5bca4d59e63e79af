package dev.brun.conversation;

/** ERROR flags make a conversation unusable for export by default; WARNING and INFO only inform. */
public enum Severity {
    INFO, WARNING, ERROR;
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    public static Severity fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
}

package dev.brun.conversation;

/** Who speaks a turn. The wire and file formats use the lower-case name. */
public enum Role {
    USER, ASSISTANT;

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Role fromWire(String s) {
        return switch (s) {
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            default -> throw new IllegalArgumentException("unknown role '" + s + "' (expected user or assistant)");
        };
    }
}

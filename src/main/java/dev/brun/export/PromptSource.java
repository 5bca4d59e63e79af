package dev.brun.export;

import dev.brun.BadInputException;

import java.util.Locale;

/**
 * Whose system prompt an exported conversation carries. An imported conversation was trained with the prompt its
 * file recorded, which may differ from the pack's: recorded keeps it (generated conversations have none recorded
 * and take the pack's), pack gives every conversation the pack's prompt.
 */
public enum PromptSource {
    RECORDED, PACK;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static PromptSource fromWire(String s) {
        for (PromptSource p : values()) if (p.wire().equals(s == null ? "" : s.strip().toLowerCase(Locale.ROOT))) return p;
        throw new BadInputException("--system-prompt " + s + " is not one of recorded, pack");
    }
}

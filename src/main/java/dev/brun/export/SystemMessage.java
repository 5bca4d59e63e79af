package dev.brun.export;

import dev.brun.BadInputException;

import java.util.Locale;

/**
 * What the chat files (OpenAI, ShareGPT, Hugging Face) do with the system prompt. Some chat templates have no
 * system role and raise an error on one (Mistral v0.1, Gemma): fold puts the prompt before the first user
 * message instead, drop leaves it out. The v4 files always carry it in their own system_prompt field.
 */
public enum SystemMessage {
    KEEP, FOLD, DROP;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static SystemMessage fromWire(String s) {
        for (SystemMessage m : values()) if (m.wire().equals(s == null ? "" : s.strip().toLowerCase(Locale.ROOT))) return m;
        throw new BadInputException("--system " + s + " is not one of keep, fold, drop");
    }
}

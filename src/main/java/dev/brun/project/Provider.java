package dev.brun.project;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Who answers the generation calls. simulated needs no key and costs nothing (demos and tests). */
public enum Provider {
    SIMULATED, ANTHROPIC, OPENAI;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static List<String> wireNames() { return Arrays.stream(values()).map(Provider::wire).toList(); }

    public static Provider fromWire(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}

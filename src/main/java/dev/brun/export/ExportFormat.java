package dev.brun.export;

import dev.brun.BadInputException;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The training-file formats brun writes; wire names are what {@code --format} accepts. */
public enum ExportFormat {
    V4_JSON("v4-json"), V4_JSONL("v4-jsonl"), OPENAI("openai"), SHAREGPT("sharegpt"), HF("hf");

    private final String wire;

    ExportFormat(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    /** Parses a comma-separated list of format names; "all" means every format. */
    public static Set<ExportFormat> parse(String spec) {
        EnumSet<ExportFormat> formats = EnumSet.noneOf(ExportFormat.class);
        for (String part : spec.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.equals("all")) return EnumSet.allOf(ExportFormat.class);
            formats.add(Arrays.stream(values()).filter(f -> f.wire.equals(name)).findFirst()
                    .orElseThrow(() -> new BadInputException("unknown export format '" + part.trim() + "' (expected one of "
                            + Arrays.stream(values()).map(ExportFormat::wire).collect(Collectors.joining(", ")) + " or all)")));
        }
        if (formats.isEmpty()) throw new BadInputException("no export format given (expected e.g. --format v4-json or --format all)");
        return formats;
    }
}

package dev.brun.export;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The defects an import found in one file: a count and up to a few examples per kind (kinds with zero are absent). */
public record DefectReport(Path file, Map<DefectKind, Defect> defects) {
    public static final int MAX_EXAMPLES = 5;

    public record Defect(DefectKind kind, int count, List<String> examples) {
        public Defect {
            examples = List.copyOf(examples);
        }
    }

    public DefectReport {
        defects = defects.isEmpty() ? Map.of() : new EnumMap<>(defects);
    }

    public int count(DefectKind kind) {
        Defect d = defects.get(kind);
        return d == null ? 0 : d.count();
    }

    public boolean clean() { return defects.isEmpty(); }

    /** Lines for a terminal: one per defect kind, with its first examples. */
    /** Longest example a line shows; schema messages quote whole enumerations, which drown the report (JSON keeps them whole). */
    private static final int EXAMPLE_CHARS = 160;

    private static String shortened(String example) {
        return example.length() <= EXAMPLE_CHARS ? example : example.substring(0, EXAMPLE_CHARS - 1) + "…";
    }

    public List<String> lines() {
        if (defects.isEmpty()) return List.of(file + ": no defects found");
        return defects.values().stream()
                .map(d -> file.getFileName() + ": " + d.count() + " " + d.kind().description()
                        + (d.examples().isEmpty() ? "" : " — e.g. " + String.join("; ", d.examples().stream().map(DefectReport::shortened).toList())))
                .toList();
    }
}

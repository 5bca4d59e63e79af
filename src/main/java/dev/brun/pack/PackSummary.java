package dev.brun.pack;

/** The size of a pack's matrix: persona x arc x topic, minus the excluded combinations. */
public record PackSummary(int personas, int arcs, int topics, int combinations, int excluded) {
    public static PackSummary of(Pack pack) {
        int all = 0;
        int excluded = 0;
        for (Persona p : pack.personas())
            for (Arc a : pack.arcs())
                for (Topic t : pack.topics()) {
                    all++;
                    if (pack.rules().excluded(p.key(), a.key(), t.key())) excluded++;
                }
        return new PackSummary(pack.personas().size(), pack.arcs().size(), pack.topics().size(), all - excluded, excluded);
    }

    /** "3 personas, 5 arcs, 20 topics, 300 combinations (0 excluded)" */
    public String describe() {
        return plural(personas, "persona") + ", " + plural(arcs, "arc") + ", " + plural(topics, "topic") + ", "
                + plural(combinations, "combination") + " (" + excluded + " excluded)";
    }

    private static String plural(int n, String word) { return n + " " + word + (n == 1 ? "" : "s"); }
}

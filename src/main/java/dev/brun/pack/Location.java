package dev.brun.pack;

import org.snakeyaml.engine.v2.nodes.Node;

/** A position in a YAML file, 1-based. A missing file is reported at 1:1. */
public record Location(String file, int line, int column) {
    public static Location of(String file, Node node) {
        if (node == null) return startOf(file);
        return node.getStartMark()
                .map(m -> new Location(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(startOf(file));
    }

    public static Location startOf(String file) { return new Location(file, 1, 1); }
}

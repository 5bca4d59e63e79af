package dev.brun.pack;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem found while reading YAML files, so a user sees all of them at once. */
public final class Problems {
    private final List<PackProblem> problems = new ArrayList<>();

    public void add(String file, Node at, String field, String message) {
        add(Location.of(file, at), field, message);
    }

    public void add(Location at, String field, String message) {
        problems.add(new PackProblem(at.file(), at.line(), at.column(), field, message));
    }

    public boolean isEmpty() { return problems.isEmpty(); }

    public int size() { return problems.size(); }

    /** Problems ordered by file, then position, so the output reads top to bottom. */
    public List<PackProblem> sorted() {
        return problems.stream()
                .sorted(Comparator.comparing(PackProblem::file)
                        .thenComparingInt(PackProblem::line)
                        .thenComparingInt(PackProblem::column))
                .toList();
    }
}

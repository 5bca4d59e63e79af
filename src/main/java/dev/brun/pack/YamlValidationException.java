package dev.brun.pack;

import dev.brun.BadInputException;

import java.util.List;

/**
 * YAML written by a user (a pack, brun.yaml) with mistakes; carries every problem found, not only the
 * first, and prints them one per line as {@code file:line:column: field: message} (exit code 2).
 */
public class YamlValidationException extends BadInputException {
    private final transient List<PackProblem> problems;

    public YamlValidationException(String what, List<PackProblem> problems) {
        super(message(what, problems));
        this.problems = List.copyOf(problems);
    }

    public List<PackProblem> problems() { return problems; }

    private static String message(String what, List<PackProblem> problems) {
        StringBuilder sb = new StringBuilder()
                .append(what).append(" has ").append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        for (PackProblem p : problems) sb.append("\n  ").append(p.format());
        return sb.toString();
    }
}

package dev.brun.pack;

/**
 * One mistake in a pack (or brun.yaml): where it is and what is wrong. file is relative to the pack folder
 * (or the project), line and column are 1-based, field is the dotted path of the key ({@code income.min},
 * {@code stages[2].key}).
 */
public record PackProblem(String file, int line, int column, String field, String message) {
    /** {@code file:line:column: field: message}, the form editors and terminals turn into links. */
    public String format() {
        return file + ":" + line + ":" + column + ": " + field + ": " + message;
    }

    @Override
    public String toString() { return format(); }
}

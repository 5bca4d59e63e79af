package dev.brun.export;

import dev.brun.BadInputException;

import java.nio.file.Path;

/** A file that cannot be imported at all: nothing from it is returned. where is a line or a JSON path, or null. */
public class ImportException extends BadInputException {
    private final Path file;
    private final String where;

    public ImportException(Path file, String where, String reason) {
        super(file + (where == null ? "" : " (" + where + ")") + ": " + reason + "; nothing was imported from this file");
        this.file = file;
        this.where = where;
    }

    public Path file() { return file; }
    public String where() { return where; }
}

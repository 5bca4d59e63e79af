package dev.brun.project;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where things live in a project folder. */
public record ProjectLayout(Path root) {
    public static final String CONFIG_FILE = "brun.yaml";
    public static final String PACK_DIR = "pack";
    public static final String DATABASE_FILE = "brun.db";
    public static final String EXPORTS_DIR = "exports";

    public ProjectLayout {
        root = root.toAbsolutePath().normalize();
    }

    public static ProjectLayout of(Path root) { return new ProjectLayout(root); }

    /** brun.yaml: provider, models, budget, concurrency, prices. */
    public Path config() { return root.resolve(CONFIG_FILE); }

    /** The project's own, editable copy of its domain pack. */
    public Path pack() { return root.resolve(PACK_DIR); }

    /** The default SQLite database. */
    public Path database() { return root.resolve(DATABASE_FILE); }

    public Path exports() { return root.resolve(EXPORTS_DIR); }

    /** A folder is a project when it has a brun.yaml. */
    public boolean exists() { return Files.isRegularFile(config()); }
}

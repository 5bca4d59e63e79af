package dev.brun.cli;

import dev.brun.project.Project;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --project DIR (and --db URL) for every command that works on a project. */
public final class ProjectMixin {
    @Option(names = {"-p", "--project"}, paramLabel = "DIR", defaultValue = ".",
            description = "Project directory (default: the current directory).")
    Path dir;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Database to use instead of the project's (e.g. jdbc:postgresql://host/brun; "
                    + "user and password from BRUN_DB_USER / BRUN_DB_PASSWORD).")
    String databaseUrl;

    public Path dir() { return dir.toAbsolutePath().normalize(); }

    public Project open() { return Project.open(dir(), databaseUrl); }
}

package dev.brun.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --project DIR for every command that works on a project (default: the current directory). */
public final class ProjectMixin {
    @Option(names = {"-p", "--project"}, paramLabel = "DIR", defaultValue = ".",
            description = "Project directory (default: the current directory).")
    Path dir;

    public Path dir() { return dir.toAbsolutePath().normalize(); }
}

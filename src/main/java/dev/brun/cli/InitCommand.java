package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.pack.Pack;
import dev.brun.pack.PackSummary;
import dev.brun.project.PackCopier;
import dev.brun.project.Project;
import dev.brun.project.ProjectConfig;
import dev.brun.project.ProjectConfigWriter;
import dev.brun.project.ProjectLayout;
import dev.brun.project.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** brun init DIR: a new project with brun.yaml, an editable copy of the pack and the database. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Create a project: brun.yaml, a copy of the pack to edit (pack/), and the database (brun.db).")
public final class InitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonMixin json;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder for the new project (created; must not hold a project).")
    Path dir;

    @Option(names = "--pack", paramLabel = "NAME|PATH", defaultValue = "financial-planning",
            description = "Built-in pack name or pack folder to copy (default: ${DEFAULT-VALUE}; see 'brun pack list').")
    String pack;

    @Option(names = "--provider", paramLabel = "P", defaultValue = "simulated",
            description = "Provider written to brun.yaml: simulated, anthropic or openai (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--force", description = "Create the project even inside the folder of another project.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ProjectLayout layout = ProjectLayout.of(dir);
        Provider chosen;
        try {
            chosen = Provider.fromWire(provider);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--provider: '" + provider + "' is not one of " + Provider.wireNames());
        }
        if (layout.exists())
            throw new BadInputException(layout.root() + " already holds a brun project (brun.yaml); refusing to overwrite it");
        if (Files.exists(layout.pack()) || Files.exists(layout.database()))
            throw new BadInputException(layout.root() + " already has a pack/ folder or brun.db; refusing to overwrite them");
        Path enclosing = enclosingProject(layout.root().getParent());
        if (enclosing != null && !force)
            throw new BadInputException(layout.root() + " is inside the project " + enclosing
                    + "; commands run there would find two projects. Pick a folder outside it, or pass --force to nest it anyway");
        if (enclosing != null)
            spec.commandLine().getErr().println("warning: " + layout.root() + " is nested inside the project " + enclosing);
        boolean created = !Files.exists(layout.root());
        try {
            Files.createDirectories(layout.root());
            Pack copied = PackCopier.copy(pack, layout.pack());
            ProjectConfig config = ProjectConfig.defaults(copied);
            config = new ProjectConfig(chosen, config.phases(), config.budgetUsd(), config.concurrency(),
                    config.maxAttempts(), config.apiKeyFile(), config.prices(), config.databaseUrl());
            ProjectConfigWriter.write(layout.root(), config);
            try (Project project = Project.open(layout.root())) {
                report(out, project, copied);
            }
        } catch (IOException e) {
            cleanUp(layout, created);
            throw new dev.brun.WorkFailedException("could not create " + layout.root() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanUp(layout, created);
            throw e;
        }
        return 0;
    }

    private void report(PrintWriter out, Project project, Pack copied) {
        if (json.enabled()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("project", project.layout().root().toString());
            doc.put("pack", copied.name());
            doc.put("pack_hash", copied.hash());
            doc.put("provider", project.config().provider().wire());
            doc.put("config", project.layout().config().toString());
            doc.put("database", project.config().jdbcUrl(project.layout()));
            Json.print(out, doc);
            return;
        }
        out.println("Created project " + project.layout().root());
        new Table("what", "where")
                .row("settings", project.layout().config())
                .row("pack", project.layout().pack())
                .row("database", project.layout().database())
                .print(out);
        out.println();
        out.println("Pack " + copied.name() + ": " + PackSummary.of(copied).describe() + ".");
        out.println();
        out.println("Provider: " + project.config().provider().wire() + " (change it in brun.yaml). Next: " + Invocation.of(spec).command() + " plan --target 1500 --dry-run --project " + dir);
    }

    /** The nearest folder above (or at) dir that holds a brun.yaml, or null. */
    static Path enclosingProject(Path dir) {
        for (Path d = dir; d != null; d = d.getParent())
            if (ProjectLayout.of(d).exists()) return d;
        return null;
    }

    /** A failed init leaves nothing behind that would make the next init refuse. */
    private static void cleanUp(ProjectLayout layout, boolean createdRoot) {
        try {
            Files.deleteIfExists(layout.config());
            for (Path p : new Path[]{layout.pack(), layout.database(), layout.root().resolve("brun.db-wal"), layout.root().resolve("brun.db-shm")}) {
                if (!Files.exists(p)) continue;
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
            if (createdRoot) Files.deleteIfExists(layout.root());
        } catch (IOException ignored) {
            // best effort: the original error is what the user needs to see
        }
    }
}

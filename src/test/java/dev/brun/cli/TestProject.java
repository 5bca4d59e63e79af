package dev.brun.cli;

import dev.brun.pack.PackLoader;
import dev.brun.project.PackCopier;
import dev.brun.project.ProjectConfig;
import dev.brun.project.ProjectConfigWriter;
import dev.brun.store.Database;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/** A real project folder (built-in pack, brun.yaml, SQLite) for command tests, and the reference files. */
final class TestProject {
    static final Path REFERENCE = Stream.of(System.getProperty("brun.reference"), "../shared/reference",
                    "../../shared/reference", "/work/shared/reference")
            .filter(Objects::nonNull).map(Path::of).filter(Files::isDirectory).findFirst()
            .orElseThrow(() -> new IllegalStateException("reference files not found; run with -Dbrun.reference=<path to shared/reference>"));
    static final Path SAMPLE_18 = REFERENCE.resolve("training-files/sample-18-conversations.json");
    static final List<String> TABLES = List.of("conversations", "turns", "scores", "reviews", "review_actions", "quality_flags");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestProject() {}

    static List<Path> seedFiles() {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 6; i++) files.add(REFERENCE.resolve("seed-conversations/convo-0" + i + ".json"));
        return files;
    }

    /**
     * A project with the built-in financial-planning pack. The reference files use stage names the built-in arcs
     * do not have; they are added to the two arcs the files use, so that their conversations fit the pack (as a
     * consultant who imports old data would extend their pack).
     */
    static Path create(Path dir) {
        var pack = PackCopier.copy("financial-planning", dir.resolve("pack"));
        ProjectConfigWriter.write(dir, ProjectConfig.defaults(pack));
        Set<String> stages = referenceStages();
        for (String arc : List.of("confusion_to_clarity", "couple_conflict_to_alignment")) {
            Path file = dir.resolve("pack/arcs/" + arc + ".yaml");
            StringBuilder extra = new StringBuilder("stages:\n");
            for (String s : stages)
                extra.append("  - key: ").append(s).append("\n    name: ").append(s.replace('_', ' '))
                        .append("\n    description: A stage named in the reference files.\n");
            try {
                String yaml = Files.readString(file, StandardCharsets.UTF_8);
                Files.writeString(file, yaml.replaceFirst("stages:\n", extra.toString()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        PackLoader.load(dir.resolve("pack")); // fails here, not in a command, when the edit broke the pack
        return dir;
    }

    /** Every conversation_phase the sample file and the seed files use. */
    private static Set<String> referenceStages() {
        Set<String> phases = new LinkedHashSet<>();
        for (JsonNode c : JSON.readTree(SAMPLE_18.toFile()).get("conversations"))
            for (JsonNode p : c.get("training_pairs")) phases.add(p.at("/conversation_metadata/conversation_phase").asString());
        for (Path seed : seedFiles())
            for (JsonNode p : JSON.readTree(seed.toFile()).get("training_pairs"))
                phases.add(p.at("/conversation_metadata/conversation_phase").asString());
        phases.remove("");
        return phases;
    }

    /** Rows per table, to show a command left the database as it was. */
    static Map<String, Long> rowCounts(Path project) {
        try (Database db = Database.openSqlite(project.resolve("brun.db"))) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String table : TABLES)
                counts.put(table, db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one()));
            return counts;
        }
    }

    static Database open(Path project) {
        return Database.openSqlite(project.resolve("brun.db"));
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    static CliRun run(Path project, String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of("--project", project.toString())).toArray(String[]::new);
        return CliRun.of(all);
    }

    /** Projects built once per test run and copied per test: importing and checking the reference data takes a while. */
    private static final Map<String, Path> TEMPLATES = new java.util.concurrent.ConcurrentHashMap<>();

    /** A copy, at dir, of a project holding the imported reference data (see {@link #importReference}). */
    static Path imported(Path dir) {
        return copy(TEMPLATES.computeIfAbsent("imported", k -> template(k, false)), dir);
    }

    /** A copy, at dir, of a project holding the imported reference data after one brun check. */
    static Path checked(Path dir) {
        return copy(TEMPLATES.computeIfAbsent("checked", k -> template(k, true)), dir);
    }

    private static Path template(String name, boolean check) {
        try {
            Path root = Files.createTempDirectory("brun-template-" + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
            Path project = create(root.resolve("p"));
            CliRun imported = importReference(project);
            if (imported.exitCode() != 0) throw new IllegalStateException("import failed: " + imported.err());
            if (check) {
                CliRun checked = run(project, "check");
                if (checked.exitCode() != 0) throw new IllegalStateException("check failed: " + checked.err());
            }
            return project;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    /** Imports the 18-conversation sample and the six seed files (filed under an arc and topic of the pack). */
    static CliRun importReference(Path project) {
        CliRun sample = run(project, "import", "--json", SAMPLE_18.toString());
        if (sample.exitCode() != 0) return sample;
        List<String> args = new ArrayList<>(List.of("import", "--json", "--arc", "confusion_to_clarity", "--topic", "negotiating_compensation"));
        seedFiles().forEach(f -> args.add(f.toString()));
        return run(project, args.toArray(String[]::new));
    }
}

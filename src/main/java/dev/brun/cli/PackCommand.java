package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.pack.Arc;
import dev.brun.pack.BuiltinPacks;
import dev.brun.pack.Consultant;
import dev.brun.pack.DirectoryPackSource;
import dev.brun.pack.Exclusion;
import dev.brun.pack.Pack;
import dev.brun.pack.PackAdoption;
import dev.brun.pack.PackLoader;
import dev.brun.pack.PackProblem;
import dev.brun.pack.PackSource;
import dev.brun.pack.PackSummary;
import dev.brun.pack.PackValidationException;
import dev.brun.pack.Persona;
import dev.brun.pack.Phase;
import dev.brun.pack.PhaseDefaults;
import dev.brun.pack.Principle;
import dev.brun.pack.Topic;
import dev.brun.project.ProjectLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** brun pack validate|show|list: check and read domain packs. */
@Command(name = "pack", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check and inspect domain packs (consultant, personas, arcs, topics, rules).",
        subcommands = {PackCommand.Validate.class, PackCommand.Show.class, PackCommand.ListPacks.class, PackCommand.Adopt.class})
public final class PackCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The pack a command works on: the argument (folder or built-in name) when given, else the pack/ folder of
     * the project (--project, default the current directory).
     */
    static PackSource packSource(String argument, ProjectMixin project) {
        if (argument != null) return PackLoader.source(argument);
        ProjectLayout layout = ProjectLayout.of(project.dir());
        if (!layout.exists()) {
            throw new BadInputException(layout.root() + " is not a brun project (no " + ProjectLayout.CONFIG_FILE
                    + "); pass a pack folder or a built-in pack name (brun pack list), or --project DIR");
        }
        if (!Files.isDirectory(layout.pack())) {
            throw new BadInputException("project " + layout.root() + " has no " + ProjectLayout.PACK_DIR
                    + "/ folder; copy a pack there or pass a pack folder");
        }
        return PackLoader.source(layout.pack().toString());
    }

    /** A problem's file as a path from the current directory, so terminals and editors can open it. */
    static String displayPath(PackSource source, String file) {
        if (!(source instanceof DirectoryPackSource dir)) return file;
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path full = dir.dir().resolve(file).normalize();
        String shown = full.startsWith(cwd) ? cwd.relativize(full).toString() : full.toString();
        return file.endsWith("/") && !shown.endsWith("/") ? shown + "/" : shown;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Check a pack and report every mistake at once, each as file:line:column: field: message.",
                    "Exit code 0 when the pack is valid, 2 when it has any problem."})
    static final class Validate implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin JsonMixin json;
        @Mixin ProjectMixin project;

        @Parameters(arity = "0..1", paramLabel = "DIR",
                description = "Pack folder or built-in pack name (default: pack/ of the project).")
        String pack;

        @Override
        public Integer call() {
            PackSource source = packSource(pack, project);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Pack loaded = PackLoader.load(source);
                PackSummary summary = PackSummary.of(loaded);
                if (json.enabled()) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("valid", true);
                    doc.put("pack", loaded.name());
                    doc.put("source", source.describe());
                    doc.put("hash", loaded.hash());
                    doc.put("summary", summary);
                    doc.put("problems", List.of());
                    Json.print(out, doc);
                } else {
                    out.println("ok: " + summary.describe() + ", hash " + loaded.shortHash());
                    out.flush();
                }
                return 0;
            } catch (PackValidationException e) {
                if (json.enabled()) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("valid", false);
                    doc.put("source", source.describe());
                    doc.put("problems", e.problems());
                    Json.print(out, doc);
                } else {
                    for (PackProblem p : e.problems()) {
                        err.println(displayPath(source, p.file()) + ":" + p.line() + ":" + p.column() + ": "
                                + p.field() + ": " + p.message());
                    }
                    err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                            + " in " + source.describe());
                    err.flush();
                }
                return 2;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Print a readable summary of a pack: consultant, principles, personas, arcs, topics, rules.")
    static final class Show implements Runnable {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin JsonMixin json;
        @Mixin ProjectMixin project;

        @Parameters(arity = "0..1", paramLabel = "DIR|NAME",
                description = "Pack folder or built-in pack name (default: pack/ of the project).")
        String pack;

        @Override
        public void run() {
            PackSource source = packSource(pack, project);
            Pack p = PackLoader.load(source);
            PrintWriter out = spec.commandLine().getOut();
            if (json.enabled()) Json.print(out, document(p));
            else print(out, p);
        }

        static Map<String, Object> document(Pack p) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("name", p.name());
            doc.put("hash", p.hash());
            doc.put("summary", PackSummary.of(p));
            doc.put("consultant", p.consultant());
            doc.put("personas", p.personas());
            doc.put("arcs", p.arcs());
            doc.put("topics", p.topics());
            Map<String, Object> rules = new LinkedHashMap<>();
            rules.put("minimums", p.rules().minimums());
            Map<String, PhaseDefaults> phases = new LinkedHashMap<>();
            for (Phase phase : Phase.values()) phases.put(phase.wire(), p.rules().defaults(phase));
            rules.put("phase_defaults", phases);
            rules.put("exclusions", p.rules().exclusions());
            doc.put("rules", rules);
            return doc;
        }

        private static void print(PrintWriter out, Pack p) {
            Consultant c = p.consultant();
            out.println("Pack " + p.name() + "  (hash " + p.shortHash() + ")");
            out.println();
            out.println("Consultant  " + c.displayName() + ", " + c.business() + " (" + c.vertical() + ")");
            out.println("Experience  " + c.yearsExperience() + " years: " + String.join("; ", c.expertise()));
            out.println("Tone        " + String.join(", ", c.tone()));
            out.println();
            out.println("Principles");
            int n = 1;
            for (Principle pr : c.principles()) {
                out.println("  " + n++ + ". " + pr.name() + " [" + pr.key() + "]: " + pr.description());
            }
            out.println();
            out.println("Techniques");
            c.techniques().forEach(t -> out.println("  - " + t));
            out.println("Avoid");
            c.avoid().forEach(t -> out.println("  - " + t));
            out.println();

            out.println("Personas (" + p.personas().size() + ")");
            Table personas = new Table("KEY", "NAME", "ARCHETYPE", "AGE", "INCOME", "OCCUPATION", "FAMILY");
            for (Persona x : p.personas()) {
                personas.row(x.key(), x.name(), x.archetype(), x.age(), x.incomeRange(), x.occupation(), x.family());
            }
            personas.print(out);
            out.println();

            out.println("Arcs (" + p.arcs().size() + ")");
            Table arcs = new Table("KEY", "NAME", "START", "END", "EXCHANGES", "STAGES", "CATEGORY");
            for (Arc a : p.arcs()) {
                arcs.row(a.key(), a.name(), a.startEmotion() + " " + a.startIntensity(),
                        a.endEmotion() + " " + a.endIntensity(), a.minExchanges() + "-" + a.maxExchanges(),
                        a.stages().size(), a.category().wire());
            }
            arcs.print(out);
            out.println();

            out.println("Topics (" + p.topics().size() + ")");
            Table topics = new Table("KEY", "NAME", "CATEGORY", "COMPLEXITY", "KEY TERMS");
            for (Topic t : p.topics()) {
                topics.row(t.key(), t.name(), t.category(), t.complexity(), t.keyTerms().size());
            }
            topics.print(out);
            out.println();

            out.println("Rules");
            out.println("  Minimums: " + p.rules().minimums().perPersona() + " per persona, "
                    + p.rules().minimums().perArc() + " per arc, " + p.rules().minimums().perTopic() + " per topic");
            PackSummary s = PackSummary.of(p);
            out.println("  Matrix:   " + s.personas() + " x " + s.arcs() + " x " + s.topics() + " = "
                    + (s.combinations() + s.excluded()) + " combinations, " + s.excluded() + " excluded, "
                    + s.combinations() + " planned per variation");
            Table phases = new Table("PHASE", "MODEL", "TEMPERATURE", "VARIATIONS", "MAX TURNS");
            for (Phase phase : Phase.values()) {
                PhaseDefaults d = p.rules().defaults(phase);
                phases.row(phase.wire(), d.model(), String.format(Locale.ROOT, "%.2f", d.temperature()),
                        d.variations(), d.maxTurns());
            }
            phases.print(out);
            if (p.rules().exclusions().isEmpty()) {
                out.println("  Exclusions: none");
            } else {
                out.println("  Exclusions:");
                for (Exclusion e : p.rules().exclusions()) {
                    List<String> parts = new ArrayList<>();
                    parts.add("persona " + (e.persona() == null ? "*" : e.persona()));
                    parts.add("arc " + (e.arc() == null ? "*" : e.arc()));
                    parts.add("topic " + (e.topic() == null ? "*" : e.topic()));
                    out.println("    - " + String.join(", ", parts) + ": " + e.reason());
                }
            }
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "List the packs built into brun.")
    static final class ListPacks implements Runnable {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin JsonMixin json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            List<BuiltinPacks.Entry> entries = BuiltinPacks.entries();
            if (json.enabled()) {
                List<Map<String, Object>> packs = new ArrayList<>();
                for (BuiltinPacks.Entry e : entries) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", e.name());
                    m.put("description", e.description());
                    packs.add(m);
                }
                Json.print(out, Map.of("packs", packs));
                return;
            }
            Table table = new Table("NAME", "DESCRIPTION");
            for (BuiltinPacks.Entry e : entries) table.row(e.name(), e.description());
            table.print(out);
            out.println();
            out.println("Use one with: brun init DIR --pack NAME, or read it with: brun pack show NAME");
            out.flush();
        }
    }

    @Command(name = "adopt", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Add to the project's pack the arcs and topics its stored conversations use but the pack lacks.",
                    "%nDrafted from the conversations (brought in by brun import): an arc's stages are its replies' stages in order "
                            + "of appearance, its start and end the clients' first and last emotions; names are the ones the imported "
                            + "files gave. The pack is validated with the drafts before anything is written; existing files are kept "
                            + "(new arcs go to arcs/, topics are appended to topics.yaml). Edit the drafted strategy, techniques and "
                            + "descriptions before generating with them.",
                    "%nExit code: 0 added (or nothing to add), 2 bad input (the drafts would not validate; nothing is written)."})
    static final class Adopt implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin ProjectMixin project;
        @Mixin JsonMixin json;

        @Override
        public Integer call() {
            try (dev.brun.project.Project p = project.open()) {
                List<dev.brun.export.AdoptionDrafts.Source> sources;
                try (var stored = new dev.brun.export.StoreExportSource(p.db()).stored()) {
                    sources = stored.map(s -> new dev.brun.export.AdoptionDrafts.Source(s.conversation(), s.provenance())).toList();
                }
                var drafts = dev.brun.export.AdoptionDrafts.from(p.pack(), sources);
                PackAdoption.Result result = PackAdoption.adopt(p.layout().pack(), drafts.arcs(), drafts.topics());
                PrintWriter out = spec.commandLine().getOut();
                if (json.enabled()) Json.print(out, adoptedDocument(result));
                else printAdopted(out, result);
                return 0;
            }
        }
    }

    static Map<String, Object> adoptedDocument(PackAdoption.Result r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("arcs", r.arcs().stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", a.key());
            m.put("name", a.name());
            m.put("stages", a.stageKeys());
            m.put("conversations", a.conversations());
            return m;
        }).toList());
        doc.put("topics", r.topics().stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", t.key());
            m.put("name", t.name());
            m.put("key_terms", t.keyTerms());
            m.put("conversations", t.conversations());
            return m;
        }).toList());
        doc.put("files", r.files().stream().map(Path::toString).toList());
        return doc;
    }

    static void printAdopted(PrintWriter out, PackAdoption.Result r) {
        if (!r.changed()) {
            out.println("The pack already defines every arc and topic the conversations use; nothing was added.");
            out.flush();
            return;
        }
        for (var a : r.arcs())
            out.printf(java.util.Locale.ROOT, "adopted arc %s (%s): %d stages, from %d conversations%n", a.key(),
                    a.name() == null ? "no name recorded" : a.name(), a.stageKeys().size(), a.conversations());
        for (var t : r.topics())
            out.printf(java.util.Locale.ROOT, "adopted topic %s (%s), from %d conversations%n", t.key(),
                    t.name() == null ? "no name recorded" : t.name(), t.conversations());
        out.println("written: " + String.join(", ", r.files().stream().map(Path::toString).toList())
                + " (edit the drafted strategy, techniques and descriptions before generating with them)");
        out.flush();
    }
}

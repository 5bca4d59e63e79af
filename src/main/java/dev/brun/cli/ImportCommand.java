package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.export.AdoptionDrafts;
import dev.brun.export.DefectReport;
import dev.brun.pack.Pack;
import dev.brun.pack.PackAdoption;
import dev.brun.pack.PackLoader;
import dev.brun.export.Importer;
import dev.brun.export.StoreImport;
import dev.brun.project.Project;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** brun import: reads training files and seed conversations into the project. */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Import training files and seed conversations into the project, with a defect report per file.",
                "%nReads brightrun-lora-v4 JSON, v4 JSONL and seed-conversation files as conversations (source=imported) with "
                        + "their scores and review, and reports what each file got wrong: null targets, duplicate pair ids, constant "
                        + "scores, truncated replies, persona contradictions, schema violations, unknown keys.",
                "%nAll files are checked before anything is written: one file with a structural error (truncated JSON, wrong "
                        + "format_spec, wrong types, not UTF-8, too large, a conversation id used twice) rejects them all. "
                        + "Conversations whose id is already stored are skipped, so importing a file twice adds nothing.",
                "%nWith --skip-invalid the files that are fine are imported and each rejected file is named on stderr.",
                "%nExit code: 0 imported, 2 bad input (nothing is written)."})
public final class ImportCommand implements Callable<Integer> {
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+)\\s*(b|kb|k|mb|m|gb|g)?\\s*");

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to import (.json or .jsonl); a folder imports its .json and .jsonl files.")
    List<Path> files;

    @Option(names = "--as-seeds",
            description = "Mark the imported conversations approved and as seed examples for brun expand (seed-conversation files are marked so anyway).")
    boolean seed;

    @Option(names = "--persona", paramLabel = "KEY",
            description = "Persona key for seed files (they name the persona only in prose) and conversations that name none.")
    String persona;

    @Option(names = "--arc", paramLabel = "KEY", description = "Arc key for conversations that name none (seed files).")
    String arc;

    @Option(names = "--topic", paramLabel = "KEY", description = "Topic key for conversations that name none (seed files).")
    String topic;

    @Option(names = "--skip-invalid",
            description = "Import the files that can be read as their format and skip (and name) those that cannot, instead of importing nothing.")
    boolean skipInvalid;

    @Option(names = "--adopt",
            description = "Add to the project's pack the arcs and topics it lacks, drafted from the imported conversations (stages in "
                    + "order of appearance, names from the file), validated before anything is written, so coverage and plans count them.")
    boolean adopt;

    @Option(names = "--max-size", paramLabel = "SIZE", defaultValue = "512MB",
            description = "Refuse files larger than this: bytes or with KB, MB, GB (default: 512MB).")
    String maxSize;

    @Override
    public Integer call() {
        long limit = parseSize(maxSize);
        try (Project p = project.open()) {
            StoreImport.Options options = new StoreImport.Options(seed, persona, arc, topic);
            if (!adopt) new StoreImport(p.db(), p.pack()).validate(options);
            Importer.ReadAll all = new Importer(limit, p.pack())
                    .readEach(Importer.filesIn(files.stream().map(f -> f.toAbsolutePath().normalize()).toList()));
            if (!all.rejected().isEmpty() && (!skipInvalid || all.results().isEmpty())) throw all.failure();
            Pack pack = p.pack();
            PackAdoption.Result adopted = null;
            if (adopt) {
                List<AdoptionDrafts.Source> sources = all.results().stream().flatMap(r -> r.conversations().stream())
                        .map(ic -> new AdoptionDrafts.Source(ic.conversation(), ic.provenance())).toList();
                AdoptionDrafts.Drafts drafts = AdoptionDrafts.from(pack, sources);
                adopted = PackAdoption.adopt(p.layout().pack(), drafts.arcs(), drafts.topics());
                if (adopted.changed()) pack = PackLoader.load(p.layout().pack());
            }
            StoreImport store = new StoreImport(p.db(), pack);
            StoreImport.Outcome outcome = store.store(all.results(), options);
            PrintWriter out = spec.commandLine().getOut();
            if (adopted != null && !json.enabled()) PackCommand.printAdopted(out, adopted);
            for (var rejected : all.rejected()) spec.commandLine().getErr().println("skipped: " + rejected.getMessage());
            if (json.enabled()) {
                Map<String, Object> doc = document(outcome);
                if (adopted != null) doc.put("adopted", PackCommand.adoptedDocument(adopted));
                Json.print(out, doc);
            }
            else print(out, outcome);
            return 0;
        }
    }

    /** "512MB", "1g", "1048576": bytes, with binary units. */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches())
            throw new BadInputException("--max-size " + text + ": expected a number of bytes, optionally with KB, MB or GB (e.g. 512MB)");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        if (n < 1) throw new BadInputException("--max-size must be at least 1 byte, got " + text);
        return Math.multiplyExact(n, factor);
    }

    private static Map<String, Object> document(StoreImport.Outcome outcome) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("files", outcome.files().stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", f.file().toString());
            m.put("format", f.format().name().toLowerCase(Locale.ROOT));
            m.put("read", f.read());
            m.put("imported", f.imported());
            m.put("already_stored", f.alreadyStored());
            m.put("rekeyed", f.rekeyed());
            Map<String, Object> defects = new LinkedHashMap<>();
            for (DefectReport.Defect d : f.defects().defects().values()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("count", d.count());
                entry.put("description", d.kind().description());
                entry.put("examples", d.examples());
                defects.put(d.kind().wire(), entry);
            }
            m.put("defects", defects);
            return m;
        }).toList());
        doc.put("read", outcome.read());
        doc.put("imported", outcome.imported());
        doc.put("already_stored", outcome.alreadyStored());
        return doc;
    }

    private static void print(PrintWriter out, StoreImport.Outcome outcome) {
        for (StoreImport.FileOutcome f : outcome.files()) {
            out.printf(Locale.ROOT, "%s (%s): %d conversations read, %d imported, %d already stored%n", f.file(),
                    f.format().name().toLowerCase(Locale.ROOT).replace('_', '-'), f.read(), f.imported(), f.alreadyStored());
            if (!f.rekeyed().isEmpty()) out.println("  filed under this pack's keys: " + StoreImport.describe(f.rekeyed()));
            for (String line : f.defects().lines()) out.println("  " + line);
        }
        out.printf(Locale.ROOT, "%d conversations imported, %d already stored (of %d read from %d files)%n",
                outcome.imported(), outcome.alreadyStored(), outcome.read(), outcome.files().size());
        out.flush();
    }
}

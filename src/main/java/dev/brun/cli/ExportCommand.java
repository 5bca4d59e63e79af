package dev.brun.cli;

import dev.brun.BrunVersion;
import dev.brun.export.ExportFormat;
import dev.brun.export.ExportResult;
import dev.brun.export.ExportSettings;
import dev.brun.export.Exporter;
import dev.brun.export.PromptSource;
import dev.brun.export.Selection;
import dev.brun.export.SystemMessage;
import dev.brun.export.StoreExportSource;
import dev.brun.export.WrittenFile;
import dev.brun.pack.Phase;
import dev.brun.project.Project;
import dev.brun.prompt.PromptBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** brun export: writes training files from the project's conversations. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Write training files from the project's conversations.",
                "%nFormats: brightrun-lora-v4 JSON and JSONL (with the pack's JSON Schema, schema.json), OpenAI chat JSONL, "
                        + "ShareGPT and a Hugging Face folder with a dataset card; split train/validation by persona x arc x topic "
                        + "(no combination in both); manifest.json lists settings, counts, exclusions with reasons, the SHA-256 of "
                        + "every file and the total cost. Files are written atomically; memory does not grow with the data.",
                "%nExit code: 0 written, 2 bad input (unknown format, simulated data without --allow-simulated, nothing to "
                        + "export; nothing is written), 1 writing failed."})
public final class ExportCommand implements Callable<Integer> {
    private static final DateTimeFormatter FOLDER_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Option(names = "--format", paramLabel = "FORMAT[,FORMAT...]", defaultValue = "all",
            description = "v4-json, v4-jsonl, openai, sharegpt, hf or all; several comma-separated (default: all).")
    String format;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder to write into (default: exports/<UTC timestamp> in the project).")
    Path out;

    @Option(names = "--only", paramLabel = "SELECTION", defaultValue = "passing",
            description = "passing (no error flag, not rejected; default), approved (only what a person approved), certified (approved, "
                    + "or accepted by its stratum's sample in 'brun review'; never with an error flag; the manifest records the plan, each "
                    + "stratum's result and bound, and the reviewers) or all (everything not rejected).")
    String only;

    @Option(names = "--min-score", paramLabel = "X", description = "Leave out conversations whose overall score (1-5) is below X.")
    Double minScore;

    @Option(names = "--split", paramLabel = "FRACTION", defaultValue = "0.9",
            description = "Share of conversations in the train split, 0 < f <= 1 (default: 0.9; 1 = no validation file).")
    double split;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Makes the split reproducible (default: 42).")
    long seed;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "16384",
            description = "Leave out conversations longer than N tokens (estimated, system prompt included; default: 16384).")
    int maxTokens;

    @Option(names = "--allow-simulated",
            description = "Export conversations made by the simulated provider (test data; refused without this flag).")
    boolean allowSimulated;

    @Option(names = "--system", paramLabel = "keep|fold|drop", defaultValue = "keep",
            description = "The system prompt in the chat files (OpenAI, ShareGPT, hf): keep (a system message; default), fold "
                    + "(put before the first user message, for chat templates without a system role: Mistral v0.1, Gemma) or drop.")
    String system;

    @Option(names = "--system-prompt", paramLabel = "recorded|pack", defaultValue = "recorded",
            description = "Imported conversations keep the system prompt their file recorded (recorded; default) or all take "
                    + "the pack's (pack). Generated conversations always have the pack's.")
    String systemPromptSource;

    private final Clock clock;

    public ExportCommand() { this(Clock.systemUTC()); }

    ExportCommand(Clock clock) { this.clock = clock; }

    @Override
    public Integer call() {
        var formats = ExportFormat.parse(format);
        Selection selection = Selection.fromWire(only);
        SystemMessage systemMessage = SystemMessage.fromWire(system);
        PromptSource promptSource = PromptSource.fromWire(systemPromptSource);
        try (Project p = project.open()) {
            Path target = out != null ? out.toAbsolutePath().normalize() : freshFolder(p.layout().exports());
            String systemPrompt = new PromptBuilder(p.pack()).trainingSystemPrompt();
            ExportSettings settings = ExportSettings.defaults(target, systemPrompt, BrunVersion.get())
                    .withFormats(formats)
                    .withSplit(split, seed)
                    .withMaxTokens(maxTokens)
                    .withSelection(selection, minScore)
                    .withAllowSimulated(allowSimulated)
                    .withRunFacts(generationSettings(p), p.db().ledger().totalSpend())
                    .withTargetModel(p.config().targetModel(), p.config().license())
                    .withSystem(systemMessage, promptSource);
            if (selection == Selection.CERTIFIED) {
                // The verdicts are brought up to date first, so the files and the manifest's bounds agree.
                var signOff = new dev.brun.review.SignOff(p.db().reviewPlans()).evaluate();
                if (signOff.isPresent()) settings = settings.withCertification(dev.brun.review.SignOff.manifestFacts(signOff.get(),
                        dev.brun.review.Calibration.measure(p.db().reviewHistory())));
            }
            ExportResult result = new Exporter(p.pack(), settings, clock).export(new StoreExportSource(p.db()));
            PrintWriter stdout = spec.commandLine().getOut();
            if (json.enabled()) Json.print(stdout, document(result, settings));
            else print(stdout, result, settings);
            return 0;
        }
    }

    /** Model, temperature and provider per phase, as the project runs them (brun.yaml over the pack's defaults). */
    static Map<String, Object> generationSettings(Project p) {
        Map<String, Object> perPhase = new TreeMap<>();
        for (Phase phase : Phase.values()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("provider", p.config().provider().wire());
            s.put("model", p.model(phase));
            s.put("temperature", p.temperature(phase));
            perPhase.put(phase.wire(), s);
        }
        return perPhase;
    }

    /** exports/<UTC timestamp>, with a counter when an export in the same second already took the name. */
    private Path freshFolder(Path exports) {
        String name = FOLDER_NAME.format(clock.instant());
        Path candidate = exports.resolve(name);
        for (int i = 2; Files.exists(candidate); i++) candidate = exports.resolve(name + "-" + i);
        return candidate;
    }

    private static Map<String, Object> document(ExportResult r, ExportSettings settings) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("out", r.outDir().toString());
        doc.put("formats", settings.formats().stream().map(ExportFormat::wire).toList());
        doc.put("selection", settings.selection().wire());
        doc.put("conversations", r.conversations());
        doc.put("training_pairs", r.trainingPairs());
        doc.put("train_conversations", r.trainConversations());
        doc.put("validation_conversations", r.validationConversations());
        doc.put("excluded_count", r.excludedCount());
        doc.put("excluded", new TreeMap<>(r.excluded()));
        doc.put("files", r.files().stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.path());
            m.put("bytes", f.bytes());
            m.put("sha256", f.sha256());
            return m;
        }).toList());
        doc.put("total_cost_usd", settings.totalCostUsd());
        return doc;
    }

    private static void print(PrintWriter out, ExportResult r, ExportSettings settings) {
        Table files = new Table("File", "Size", "SHA-256");
        for (WrittenFile f : r.files()) files.row(f.path(), size(f.bytes()), f.sha256().substring(0, 12));
        files.print(out);
        out.println();
        out.printf(Locale.ROOT, "%d conversations, %d training pairs (train %d, validation %d) in %s%n",
                r.conversations(), r.trainingPairs(), r.trainConversations(), r.validationConversations(), r.outDir());
        if (r.excludedCount() > 0) {
            out.println();
            out.println(r.excludedCount() + " conversations left out (--only " + settings.selection().wire() + "):");
            Table excluded = new Table("Reason", "Conversations");
            new TreeMap<>(r.excluded()).entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(e -> excluded.row(e.getKey(), e.getValue()));
            excluded.print(out);
        }
        out.flush();
    }

    static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}

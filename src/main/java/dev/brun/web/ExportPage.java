package dev.brun.web;

import dev.brun.BadInputException;
import dev.brun.BrunVersion;
import dev.brun.WorkFailedException;
import dev.brun.export.ExportFormat;
import dev.brun.export.ExportItem;
import dev.brun.export.ExportResult;
import dev.brun.export.ExportSettings;
import dev.brun.export.Exporter;
import dev.brun.export.Selection;
import dev.brun.project.Project;
import dev.brun.prompt.PromptBuilder;
import dev.brun.store.ConversationDao;
import dev.brun.store.ConversationFilter;
import dev.brun.store.ConversationRow;
import dev.brun.store.Page;
import dev.brun.store.StoredConversation;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Export page: formats, selection, minimum score and a persona/arc/topic/phase filter; a preview of what goes
 * in and why the rest stays out (Exporter.exclusionReason); a download of the export folder as a zip.
 */
final class ExportPage {
    private static final int CHUNK = 500;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final WebServer server;
    private final Project project;

    ExportPage(WebServer server, Project project) {
        this.server = server;
        this.project = project;
    }

    void routes(RoutesConfig routes) {
        routes.get("/export", this::form);
        routes.post("/export/preview", this::preview);
        routes.post("/export/download", this::download);
    }

    /** How many conversations go in (the first few of them by name) and, per reason, how many stay out. */
    record Preview(long included, long simulated, Map<String, Long> excluded, long total, List<ConversationRef> first) {}

    /** One included conversation as the preview lists it. */
    record ConversationRef(String id, String persona, String arc, String topic) {}

    static final int PREVIEW_SAMPLE = 8;

    private void form(Context ctx) {
        ctx.html(server.page(ctx, "export.jte", "Export", "export", Map.of(
                "pack", project.pack(),
                "formats", Arrays.stream(ExportFormat.values()).map(ExportFormat::wire).toList(),
                "selections", Arrays.stream(Selection.values()).map(Selection::wire).toList(),
                "phases", List.of("seed", "expansion", "edge"))));
    }

    private void preview(Context ctx) {
        ExportSettings settings = settings(ctx, project.layout().exports());
        Exporter exporter = new Exporter(project.pack(), settings);
        long included = 0, simulated = 0, total = 0;
        Map<String, Long> excluded = new LinkedHashMap<>();
        List<ConversationRef> first = new java.util.ArrayList<>();
        try (Stream<ExportItem> items = items(ListQuery.from(ctx).filter())) {
            for (ExportItem item : (Iterable<ExportItem>) items::iterator) {
                total++;
                String reason = exporter.exclusionReason(item);
                if (reason != null) excluded.merge(reason, 1L, Long::sum);
                else {
                    included++;
                    if (item.conversation().simulated()) simulated++;
                    if (first.size() < PREVIEW_SAMPLE) {
                        var sc = item.conversation().scaffolding();
                        first.add(new ConversationRef(item.conversation().id(), sc.personaKey(), sc.arcKey(), sc.topicKey()));
                    }
                }
            }
        }
        ctx.html(server.fragment("export-preview.jte", Map.of("preview", new Preview(included, simulated, excluded, total, first),
                "allowSimulated", settings.allowSimulated())));
    }

    private void download(Context ctx) throws IOException {
        String name = "web-" + LocalDateTime.now(ZoneOffset.UTC).format(STAMP);
        Path out = project.layout().exports().resolve(name);
        ExportSettings settings = settings(ctx, out);
        ConversationFilter filter = ListQuery.from(ctx).filter();
        ExportResult result = new Exporter(project.pack(), settings).export(() -> items(filter));
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"brun-export-" + name + ".zip\"");
        ctx.header("X-Brun-Conversations", Integer.toString(result.conversations()));
        try (OutputStream body = ctx.outputStream()) {
            zip(out, body);
        }
    }

    private ExportSettings settings(Context ctx, Path outDir) {
        List<String> chosen = ctx.formParams("format");
        Set<ExportFormat> formats = chosen.isEmpty() ? EnumSet.allOf(ExportFormat.class) : ExportFormat.parse(String.join(",", chosen));
        String selection = ctx.formParam("selection");
        String min = ctx.formParam("minScore");
        Double minScore = null;
        if (min != null && !min.isBlank()) {
            try {
                minScore = Double.parseDouble(min.strip());
            } catch (NumberFormatException e) {
                throw new BadInputException("minimum score must be a number, got '" + min + "'");
            }
        }
        String prompt = new PromptBuilder(project.pack()).trainingSystemPrompt();
        Selection picked = selection == null || selection.isBlank() ? Selection.PASSING : Selection.fromWire(selection);
        ExportSettings settings = ExportSettings.defaults(outDir, prompt, BrunVersion.get())
                .withFormats(formats)
                .withSelection(picked, minScore)
                .withAllowSimulated("on".equals(ctx.formParam("allowSimulated")))
                .withRunFacts(Map.of(), project.db().ledger().totalSpend());
        if (picked != Selection.CERTIFIED) return settings;
        // As on the command line: verdicts brought up to date, and the plan with its bounds in the manifest.
        return new dev.brun.review.SignOff(project.db().reviewPlans()).evaluate()
                .map(r -> settings.withCertification(dev.brun.review.SignOff.manifestFacts(r,
                        dev.brun.review.Calibration.measure(project.db().reviewHistory())))).orElse(settings);
    }

    /** A fresh, lazy pass over the filtered conversations, a page of ids at a time; memory stays flat. */
    private Stream<ExportItem> items(ConversationFilter filter) {
        ConversationDao dao = project.db().conversations();
        return IntStream.iterate(0, p -> p + 1)
                .mapToObj(p -> dao.list(filter, p, CHUNK))
                .takeWhile(page -> !page.items().isEmpty())
                .flatMap(page -> dao.findAll(ids(page)).stream())
                .map(ExportPage::item);
    }

    private static List<String> ids(Page<ConversationRow> page) {
        return page.items().stream().map(ConversationRow::id).toList();
    }

    static ExportItem item(StoredConversation c) {
        return new ExportItem(c.conversation(), c.generation().orElse(null), c.scores().orElse(null), c.flags(), c.review());
    }

    private static void zip(Path folder, OutputStream body) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (ZipOutputStream zip = new ZipOutputStream(body)) {
            for (Path f : files) {
                zip.putNextEntry(new ZipEntry(folder.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new WorkFailedException("could not send the export " + folder + " as a zip: " + e.getMessage(), e);
        }
    }
}

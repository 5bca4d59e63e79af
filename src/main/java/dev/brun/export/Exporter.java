package dev.brun.export;

import dev.brun.BadInputException;
import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Turn;
import dev.brun.pack.Pack;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Writes training files from conversations. The items are read in several passes (one to choose and count,
 * one per file), each pass streaming: memory holds per-combination counters, never all conversations, and the
 * v4 JSON document is produced by a streaming generator one conversation at a time. Every file is written
 * atomically; manifest.json comes last and lists each file's SHA-256.
 *
 * <p>{@code items} must be re-iterable: every {@code iterator()} call starts a new pass over the same data.
 */
public final class Exporter {
    public static final String V4_JSON = "training-v4.json";
    public static final String V4_JSONL = "training-v4.jsonl";
    public static final String SCHEMA = "schema.json";
    public static final String MANIFEST = "manifest.json";
    /** The v4 schema's minLength for system_prompt. */
    static final int V4_MIN_SYSTEM_PROMPT = 100;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Pack pack;
    private final ExportSettings settings;
    private final Clock clock;

    public Exporter(Pack pack, ExportSettings settings, Clock clock) {
        this.pack = pack;
        this.settings = settings;
        this.clock = clock;
    }

    public Exporter(Pack pack, ExportSettings settings) { this(pack, settings, Clock.systemUTC()); }

    /** Why a conversation stays out of the export, or null when it goes in. Same answer in every pass. */
    public String exclusionReason(ExportItem item) {
        Conversation c = item.conversation();
        String malformed = malformed(c);
        if (malformed != null) return "malformed: " + malformed;
        // Keys the pack does not define (data brought from another platform or pack) stay in: the chat formats need
        // nothing from the pack, and the v4 schema written beside the files admits the keys the conversations record.
        if (item.review().status() == ReviewStatus.REJECTED) return "rejected by a reviewer";
        if (settings.selection() == Selection.APPROVED && item.review().status() != ReviewStatus.APPROVED) return "not approved";
        if (settings.selection() == Selection.CERTIFIED && item.review().status() != ReviewStatus.APPROVED
                && item.review().status() != ReviewStatus.ACCEPTED) return "not certified (neither approved nor accepted by its sample)";
        if (settings.selection() == Selection.PASSING || settings.selection() == Selection.CERTIFIED) {
            List<QualityFlag> errors = item.errorFlags();
            if (!errors.isEmpty()) return "error flag: " + errors.getFirst().code();
        }
        if (item.scores() == null) return "not scored (run brun check first)";
        if (settings.minScore() != null && item.scores().overall() < settings.minScore())
            return "score below --min-score " + settings.minScore();
        long tokens = ChatExamples.estimateTokens(settings.systemPrompt(), c);
        if (tokens > settings.maxTokensPerExample()) return "over the token limit of " + settings.maxTokensPerExample() + " per example";
        return null;
    }

    /** A structure a trainer would choke on: not user-first, not alternating, not ending with the consultant, blank text. */
    static String malformed(Conversation c) {
        List<Turn> turns = c.turns();
        if (turns.isEmpty()) return "no turns";
        if (c.scaffolding() == null) return "no scaffolding";
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            boolean userExpected = i % 2 == 0;
            if (t.isUser() != userExpected) return "turn " + (i + 1) + " should be from the " + (userExpected ? "user" : "assistant");
            if (t.content() == null || t.content().isBlank()) return "turn " + (i + 1) + " is empty";
            if (t.isUser() && t.emotion() == null) return "user turn " + (i + 1) + " has no emotion";
        }
        if (!turns.getLast().isAssistant()) return "ends with a user turn";
        return null;
    }

    /** Exports from a re-iterable source: every {@code iterator()} call must start a new pass over the same items. */
    public ExportResult export(Iterable<ExportItem> items) {
        return export(() -> StreamSupport.stream(items.spliterator(), false));
    }

    /**
     * Exports from a source that opens a fresh stream per pass (e.g. a database query); each stream is closed
     * after its pass, so cursors do not outlive it.
     */
    public ExportResult export(Supplier<? extends Stream<ExportItem>> items) {
        if ((settings.formats().contains(ExportFormat.V4_JSON) || settings.formats().contains(ExportFormat.V4_JSONL))
                && settings.systemPrompt().strip().length() < V4_MIN_SYSTEM_PROMPT)
            throw new BadInputException("the consultant system prompt has " + settings.systemPrompt().strip().length()
                    + " characters; brightrun-lora-v4 requires at least " + V4_MIN_SYSTEM_PROMPT + " (write a fuller prompt in the pack)");
        Tally tally = new Tally();
        try (Stream<ExportItem> pass = items.get()) {
            for (ExportItem item : each(pass)) {
                String reason = exclusionReason(item);
                if (reason != null) { tally.excluded.merge(reason, 1, Integer::sum); continue; }
                if (item.conversation().simulated() && !settings.allowSimulated())
                    throw new BadInputException("conversation " + item.conversation().id() + " was made by the simulated provider"
                            + " (test data, not model output); pass --allow-simulated to export it anyway");
                tally.add(item);
            }
        }
        if (tally.conversations == 0)
            throw new BadInputException("nothing to export: no conversation passed the selection (" + settings.selection().wire()
                    + ")" + (tally.excluded.isEmpty() ? "; the project has no conversations" : "; left out: " + tally.excluded.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .map(e -> e.getValue() + " x " + e.getKey()).collect(java.util.stream.Collectors.joining("; "))));

        StratifiedSplit split = StratifiedSplit.plan(tally.combinations, settings.trainFraction(), settings.seed());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        V4Document v4 = new V4Document(pack, settings.systemPrompt(), LocalDate.ofInstant(now, ZoneOffset.UTC));
        Path out = settings.outDir();
        List<WrittenFile> files = new ArrayList<>();
        int[] perSplit = tally.splitCounts(split);

        if (settings.formats().contains(ExportFormat.V4_JSON) || settings.formats().contains(ExportFormat.V4_JSONL))
            files.add(AtomicFile.write(out, out.resolve(SCHEMA), o -> PRETTY.writeValue(o, PackSchema.forPack(pack, tally.recorded()))));
        if (settings.formats().contains(ExportFormat.V4_JSON))
            files.add(AtomicFile.write(out, out.resolve(V4_JSON), o -> writeV4Json(o, items, tally, split, v4, now)));
        if (settings.formats().contains(ExportFormat.V4_JSONL))
            files.add(AtomicFile.write(out, out.resolve(V4_JSONL), o -> writeV4Jsonl(o, items, tally, split, v4)));
        if (settings.formats().contains(ExportFormat.OPENAI))
            files.addAll(writeChatSplits(items, split, perSplit, "openai-", false));
        if (settings.formats().contains(ExportFormat.SHAREGPT))
            files.addAll(writeChatSplits(items, split, perSplit, "sharegpt-", true));
        if (settings.formats().contains(ExportFormat.HF)) {
            files.addAll(writeChatSplits(items, split, perSplit, "hf/", false));
            files.add(AtomicFile.write(out, out.resolve("hf/README.md"), o ->
                    o.write(new DatasetCard(pack, settings, tally.summary(), perSplit).render(now).getBytes(StandardCharsets.UTF_8))));
        }
        ExportResult result = new ExportResult(out, files, tally.conversations, tally.pairs, perSplit[0], perSplit[1], tally.excluded);
        files.add(AtomicFile.write(out, out.resolve(MANIFEST), o -> PRETTY.writeValue(o, manifest(result, tally, now))));
        return new ExportResult(out, files, tally.conversations, tally.pairs, perSplit[0], perSplit[1], tally.excluded);
    }

    /** One pass over the included items; the caller closes the stream (and with it any database cursor). */
    private Stream<ExportItem> included(Supplier<? extends Stream<ExportItem>> items) {
        return items.get().filter(i -> exclusionReason(i) == null);
    }

    private static Iterable<ExportItem> each(Stream<ExportItem> stream) { return stream::iterator; }

    private void writeV4Json(OutputStream o, Supplier<? extends Stream<ExportItem>> items, Tally tally, StratifiedSplit split, V4Document v4,
                             Instant now) throws IOException {
        try (JsonGenerator g = PRETTY.createGenerator(o)) {
            g.writeStartObject();
            g.writeName("training_file_metadata");
            g.writeStartObject();
            g.writeStringProperty("file_name", pack.name() + "_" + now.toString().substring(0, 10));
            g.writeStringProperty("version", V4Document.VERSION);
            g.writeStringProperty("created_date", now.toString());
            g.writeStringProperty("last_updated", now.toString());
            g.writeStringProperty("format_spec", V4Document.FORMAT_SPEC);
            g.writeStringProperty("vertical", V4Document.vertical(pack));
            g.writeNumberProperty("total_conversations", tally.conversations);
            g.writeNumberProperty("total_training_pairs", tally.pairs);
            g.writeName("quality_summary");
            g.writeTree(tally.qualitySummary());
            g.writeName("scaffolding_distribution");
            g.writeTree(tally.distribution());
            g.writeStringProperty("brun_pack", pack.name());
            g.writeStringProperty("brun_pack_hash", pack.hash());
            g.writeEndObject();
            g.writeName("consultant_profile");
            g.writeTree(v4.consultantProfile());
            g.writeArrayPropertyStart("conversations");
            try (Stream<ExportItem> pass = included(items)) {
                for (ExportItem item : each(pass)) g.writeTree(v4.conversation(item, split.of(item.conversation().scaffolding())));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private void writeV4Jsonl(OutputStream o, Supplier<? extends Stream<ExportItem>> items, Tally tally, StratifiedSplit split, V4Document v4)
            throws IOException {
        ObjectNode header = MAPPER.createObjectNode();
        ObjectNode meta = header.putObject("_meta");
        meta.put("file_name", pack.name() + "_training_v4");
        meta.put("total_pairs", tally.pairs);
        meta.put("total_conversations", tally.conversations);
        meta.put("version", V4Document.VERSION);
        meta.put("format_spec", V4Document.FORMAT_SPEC);
        meta.put("vertical", V4Document.vertical(pack));
        meta.put("description", "One self-contained training pair per line, one pair per consultant reply; generated by brun from pack "
                + pack.name() + ".");
        writeLine(o, header);
        try (Stream<ExportItem> pass = included(items)) {
            for (ExportItem item : each(pass)) {
                Split s = split.of(item.conversation().scaffolding());
                for (ObjectNode pair : v4.pairs(item)) {
                    pair.put("split", s.wire());
                    writeLine(o, pair);
                }
            }
        }
    }

    private List<WrittenFile> writeChatSplits(Supplier<? extends Stream<ExportItem>> items, StratifiedSplit split, int[] perSplit, String prefix,
                                              boolean shareGpt) {
        List<WrittenFile> files = new ArrayList<>();
        for (Split s : Split.values()) {
            if (perSplit[s.ordinal()] == 0) continue;
            Path target = settings.outDir().resolve(prefix + s.wire() + ".jsonl");
            files.add(AtomicFile.write(settings.outDir(), target, o -> {
                try (Stream<ExportItem> pass = included(items)) {
                    for (ExportItem item : each(pass)) {
                        if (split.of(item.conversation().scaffolding()) != s) continue;
                        writeLine(o, chatExample(item, shareGpt));
                    }
                }
            }));
        }
        return files;
    }

    private ObjectNode chatExample(ExportItem item, boolean shareGpt) {
        if (shareGpt) return ChatExamples.shareGpt(settings.systemPrompt(), item.conversation());
        ObjectNode example = ChatExamples.messages(settings.systemPrompt(), item.conversation());
        List<String> problems = OpenAiChatCheck.problems(example, settings.maxTokensPerExample());
        // exclusionReason() already removed everything that could fail here; a failure is a bug in brun.
        if (!problems.isEmpty())
            throw new IllegalStateException("conversation " + item.conversation().id() + " fails the chat format checks: " + problems);
        return example;
    }

    private static void writeLine(OutputStream o, ObjectNode node) throws IOException {
        o.write(MAPPER.writeValueAsBytes(node));
        o.write('\n');
    }

    private Map<String, Object> manifest(ExportResult result, Tally tally, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("brun_version", settings.brunVersion());
        m.put("created_at", now.toString());
        Map<String, Object> packFacts = new LinkedHashMap<>();
        packFacts.put("name", pack.name());
        packFacts.put("hash", pack.hash());
        m.put("pack", packFacts);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("formats", settings.formats().stream().map(ExportFormat::wire).toList());
        s.put("selection", settings.selection().wire());
        s.put("min_score", settings.minScore());
        s.put("train_fraction", settings.trainFraction());
        s.put("seed", settings.seed());
        s.put("max_tokens_per_example", settings.maxTokensPerExample());
        s.put("allow_simulated", settings.allowSimulated());
        s.put("generation", new TreeMap<>(settings.generationSettings()));
        m.put("settings", s);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("conversations", result.conversations());
        counts.put("training_pairs", result.trainingPairs());
        counts.put("train_conversations", result.trainConversations());
        counts.put("validation_conversations", result.validationConversations());
        counts.put("by_persona", tally.personas);
        counts.put("by_arc", tally.arcs);
        counts.put("by_topic", tally.topics);
        m.put("counts", counts);
        Map<String, Object> excluded = new LinkedHashMap<>();
        excluded.put("count", result.excludedCount());
        excluded.put("reasons", new TreeMap<>(result.excluded()));
        m.put("excluded", excluded);
        m.put("files", result.files().stream().map(f -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", f.path());
            entry.put("bytes", f.bytes());
            entry.put("sha256", f.sha256());
            return entry;
        }).toList());
        m.put("total_cost_usd", settings.totalCostUsd());
        if (!settings.certification().isEmpty()) m.put("certification", settings.certification());
        return m;
    }

    /** Counters from the first pass: small (per key and per combination), whatever the number of conversations. */
    static final class Tally {
        int conversations;
        int pairs;
        int humanReviewedPairs;
        double scoreSum;
        double minScore = Double.MAX_VALUE;
        double maxScore = -Double.MAX_VALUE;
        final Map<String, Integer> personas = new TreeMap<>();
        final Map<String, Integer> arcs = new TreeMap<>();
        final Map<String, Integer> topics = new TreeMap<>();
        final Map<String, Integer> combinations = new TreeMap<>();
        final Map<String, Integer> excluded = new TreeMap<>();
        final java.util.LinkedHashSet<String> stages = new java.util.LinkedHashSet<>();
        final TreeSet<String> models = new TreeSet<>();
        final TreeSet<Double> temperatures = new TreeSet<>();

        void add(ExportItem item) {
            Conversation c = item.conversation();
            int n = c.assistantTurns().size();
            conversations++;
            pairs += n;
            if (V4Document.humanReviewed(item)) humanReviewedPairs += n;
            double score = item.scores().overall();
            scoreSum += score * n;
            minScore = Math.min(minScore, score);
            maxScore = Math.max(maxScore, score);
            personas.merge(c.scaffolding().personaKey(), 1, Integer::sum);
            arcs.merge(c.scaffolding().arcKey(), 1, Integer::sum);
            topics.merge(c.scaffolding().topicKey(), 1, Integer::sum);
            combinations.merge(c.scaffolding().combination(), 1, Integer::sum);
            for (Turn t : c.turns()) if (t.isAssistant() && t.phase() != null) stages.add(t.phase());
            if (item.generation() != null) {
                models.add(item.generation().model());
                temperatures.add(item.generation().temperature());
            } else if (c.model() != null) {
                models.add(c.model());
            }
        }

        /** The keys the exported conversations record, whether or not the pack defines them. */
        PackSchema.RecordedKeys recorded() {
            return new PackSchema.RecordedKeys(List.copyOf(personas.keySet()), List.copyOf(arcs.keySet()), List.copyOf(topics.keySet()),
                    List.copyOf(stages));
        }

        int[] splitCounts(StratifiedSplit split) {
            int[] counts = new int[2];
            combinations.forEach((combination, n) -> counts[split.of(combination).ordinal()] += n);
            return counts;
        }

        ObjectNode qualitySummary() {
            ObjectNode q = MAPPER.createObjectNode();
            q.put("avg_quality_score", Math.round(scoreSum / pairs * 100) / 100.0);
            q.put("min_quality_score", minScore);
            q.put("max_quality_score", maxScore);
            q.put("human_reviewed_count", humanReviewedPairs);
            q.put("human_reviewed_percentage", Math.round(humanReviewedPairs * 1000.0 / pairs) / 10.0);
            return q;
        }

        ObjectNode distribution() {
            ObjectNode d = MAPPER.createObjectNode();
            personas.forEach(d.putObject("personas")::put);
            arcs.forEach(d.putObject("emotional_arcs")::put);
            topics.forEach(d.putObject("training_topics")::put);
            return d;
        }

        DatasetCard.Summary summary() {
            return new DatasetCard.Summary(conversations, pairs, personas, arcs, topics, models, temperatures, excluded);
        }
    }
}

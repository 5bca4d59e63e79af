package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Review;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Provenance;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;
import dev.brun.pack.Pack;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads training files back into conversations: brightrun-lora-v4 JSON, v4 JSONL and the seed-conversation
 * format. A structural problem (not JSON, truncated, wrong format_spec, wrong types, bytes that are not UTF-8,
 * duplicate conversation ids, too large) rejects the whole file before anything is returned. Content problems
 * (null targets, constant scores, ...) do not: they go into the {@link DefectReport}.
 *
 * <p>Conversations are rebuilt from the pairs that carry a reply: each gives the user message it answers and the
 * reply. Pairs without a target are dropped, and a history that repeats the current input is not duplicated.
 */
public final class Importer {
    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final long maxBytes;
    private final Pack pack;

    /** pack may be null: unknown keys are then not reported, and the schema check uses the published schema. */
    public Importer(long maxBytes, Pack pack) {
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive");
        this.maxBytes = maxBytes;
        this.pack = pack;
    }

    public Importer(Pack pack) { this(DEFAULT_MAX_BYTES, pack); }

    public record ImportResult(Path file, ImportFormat format, List<ImportedConversation> conversations, DefectReport defects) {
        public ImportResult {
            conversations = List.copyOf(conversations);
        }
    }

    /** Reads several files all-or-nothing: any structural error, or a conversation id used by two files, rejects all. */
    /** Every file, or an error naming each rejected file and the files that were fine. */
    public List<ImportResult> readAll(List<Path> files) {
        ReadAll all = readEach(files);
        if (!all.rejected().isEmpty()) throw all.failure();
        return all.results();
    }

    /** The files read as the format and those rejected with their reason (one rejected file does not hide the rest). */
    public record ReadAll(List<ImportResult> results, List<ImportException> rejected) {
        public ReadAll {
            results = List.copyOf(results);
            rejected = List.copyOf(rejected);
        }

        /** One message for the whole command: what was wrong with which file, and which files were fine. */
        public dev.brun.BadInputException failure() {
            StringBuilder m = new StringBuilder();
            m.append(rejected.size()).append(rejected.size() == 1 ? " file cannot be imported" : " files cannot be imported");
            for (ImportException e : rejected) m.append("\n  ").append(e.getMessage());
            if (results.isEmpty()) m.append("\nNo file was fine; nothing was imported.");
            else m.append("\nFine: ").append(results.stream().map(r -> r.file().toString()).collect(java.util.stream.Collectors.joining(", ")))
                    .append("\nNothing was imported; pass --skip-invalid to import the files that are fine.");
            return new dev.brun.BadInputException(m.toString());
        }
    }

    /**
     * The files to read: a file as given, a folder as its *.json and *.jsonl files in name order (not its subfolders),
     * as a user migrating points at the folder their platform exported into.
     */
    public static List<Path> filesIn(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                out.add(p);
                continue;
            }
            try (var listing = Files.list(p)) {
                List<Path> found = listing.filter(Files::isRegularFile)
                        .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.jsonl?"))
                        .sorted().toList();
                if (found.isEmpty()) throw new ImportException(p, null, "the folder holds no .json or .jsonl file");
                out.addAll(found);
            } catch (IOException e) {
                throw new ImportException(p, null, "cannot list the folder: " + e.getMessage());
            }
        }
        return out;
    }

    public ReadAll readEach(List<Path> files) {
        List<ImportResult> results = new ArrayList<>();
        List<ImportException> rejected = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        Map<String, Integer> variations = new HashMap<>();
        for (Path f : files) {
            try {
                ImportResult r = read(f, variations);
                for (ImportedConversation c : r.conversations()) {
                    Path other = seen.get(c.conversation().id());
                    if (other != null)
                        throw new ImportException(f, "conversation " + c.conversation().id(),
                                "duplicate conversation id: " + other + " has a conversation with the same id; give each conversation its own id");
                }
                r.conversations().forEach(c -> seen.put(c.conversation().id(), f));
                results.add(r);
            } catch (ImportException e) {
                rejected.add(e);
            }
        }
        return new ReadAll(results, rejected);
    }

    public ImportResult read(Path file) { return read(file, new HashMap<>()); }

    /**
     * variations counts conversations per combination over the files read together, so that conversations
     * without a variation_index (seed files, the original platform's files) get distinct indexes.
     */
    private ImportResult read(Path file, Map<String, Integer> variations) {
        checkSize(file);
        checkUtf8(file);
        JsonFields fields = new JsonFields(file);
        if (looksLikeJsonl(file)) return readJsonl(file, fields, variations);
        List<String> keys = topLevelKeys(file, fields);
        if (keys.contains("training_file_metadata")) return readV4Json(file, fields, variations);
        if (keys.contains("dataset_metadata") && keys.contains("training_pairs")) return readSeed(file, parse(file), fields, variations);
        throw fields.error("$", "not a brightrun-lora-v4 file (no training_file_metadata) nor a seed conversation"
                + " (no dataset_metadata + training_pairs); top-level keys are " + keys);
    }

    private void checkSize(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ImportException(file, null, "no such file");
        } catch (IOException e) {
            throw new ImportException(file, null, "cannot read: " + e.getMessage());
        }
        if (size > maxBytes)
            throw new ImportException(file, null, "file is " + mb(size) + ", over the import limit of " + mb(maxBytes)
                    + "; split it into smaller files or raise the limit (--max-size)");
        if (size == 0) throw new ImportException(file, null, "file is empty");
    }

    private static String mb(long bytes) {
        return bytes >= 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0) : bytes + " bytes";
    }

    /** Streams the bytes through a strict decoder so a bad byte is reported with its line, whatever the file size. */
    private static void checkUtf8(Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long line = 1, offset = 0;
        try (InputStream s = Files.newInputStream(file)) {
            boolean eof = false;
            while (!eof) {
                int n = s.read(in.array(), in.position(), in.remaining());
                if (n < 0) eof = true; else in.position(in.position() + n);
                in.flip();
                int before = in.position();
                CoderResult r = decoder.decode(in, out, eof);
                for (int i = before; i < in.position(); i++) if (in.get(i) == '\n') line++;
                offset += in.position() - before;
                if (r.isError())
                    throw new ImportException(file, "line " + line + ", byte offset " + offset, String.format(Locale.ROOT,
                            "not UTF-8: invalid byte 0x%02X; save the file as UTF-8 and import it again", in.get(in.position()) & 0xff));
                in.compact();
                out.clear();
            }
            if (decoder.flush(out).isError()) throw new CharacterCodingException();
        } catch (CharacterCodingException e) {
            throw new ImportException(file, "end of file", "not UTF-8: the file ends inside a multi-byte character");
        } catch (IOException e) {
            throw new ImportException(file, null, "cannot read: " + e.getMessage());
        }
    }

    /** JSONL when the first line is a complete JSON object and more content follows on the next lines. */
    private static boolean looksLikeJsonl(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            while (first != null && first.isBlank()) first = r.readLine();
            if (first == null || !first.strip().startsWith("{")) return false;
            JsonNode node;
            try {
                node = MAPPER.readTree(first);
            } catch (JacksonException e) {
                return false;
            }
            return node != null && node.isObject() && (node.has("_meta") || node.has("current_user_input"));
        } catch (IOException e) {
            return false;
        }
    }

    /** One streaming pass that checks the whole file is well-formed JSON and lists its top-level keys. */
    private static List<String> topLevelKeys(Path file, JsonFields f) {
        List<String> keys = new ArrayList<>();
        try (JsonParser p = MAPPER.createParser(file.toFile())) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT)
                throw f.error("$", "expected a JSON object at the top level, found " + (first == null ? "nothing" : first.asString()));
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                keys.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
            if (p.nextToken() != null) throw f.error(where(p.currentLocation()), "content after the end of the JSON document");
            return keys;
        } catch (StreamReadException e) {
            throw new ImportException(file, where(e.getLocation()), describe(e));
        } catch (JacksonException e) {
            throw new ImportException(file, null, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode root = MAPPER.readTree(in);
            if (root == null || root.isMissingNode()) throw new ImportException(file, null, "no JSON content");
            return root;
        } catch (StreamReadException e) {
            throw new ImportException(file, where(e.getLocation()), describe(e));
        } catch (JacksonException e) {
            throw new ImportException(file, null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ImportException(file, null, "cannot read: " + e.getMessage());
        }
    }

    private static String where(TokenStreamLocation loc) {
        return loc == null ? null : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String describe(StreamReadException e) {
        String msg = e.getOriginalMessage();
        if (msg != null && msg.toLowerCase(Locale.ROOT).contains("end-of-input"))
            return "truncated JSON (the file ends before the document is complete); re-export or re-download it";
        return "not valid JSON: " + msg;
    }

    // ---- v4 JSON --------------------------------------------------------------------------------------------

    /**
     * Streams the conversations array: each conversation is read as a small tree, checked, reduced to its pairs and
     * dropped, so the whole document is never one tree in memory.
     */
    private ImportResult readV4Json(Path file, JsonFields f, Map<String, Integer> variations) {
        ObjectNode schema = pack == null ? PackSchema.reference() : PackSchema.forPack(pack);
        var metaSchema = PackSchema.compile(PackSchema.subSchema(schema, "/properties/training_file_metadata", "metadata"));
        var profileSchema = PackSchema.compile(PackSchema.subSchema(schema, "/properties/consultant_profile", "profile"));
        var conversationSchema = PackSchema.compile(PackSchema.subSchema(schema, "/$defs/conversation_object", "conversation"));
        List<String> violations = new ArrayList<>();
        List<RawConversation> raws = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        JsonNode meta = null;
        boolean sawProfile = false;
        try (JsonParser p = MAPPER.createParser(file.toFile())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "training_file_metadata" -> {
                        meta = p.readValueAsTree();
                        if (!meta.isObject()) throw f.error("$.training_file_metadata", "expected an object, found " + JsonFields.kind(meta));
                        checkFormatSpec(f, meta, "$.training_file_metadata");
                        prefixed(violations, "$.training_file_metadata", PackSchema.violations(metaSchema, meta));
                    }
                    case "consultant_profile" -> {
                        sawProfile = true;
                        prefixed(violations, "$.consultant_profile", PackSchema.violations(profileSchema, p.readValueAsTree()));
                    }
                    case "conversations" -> {
                        if (value != JsonToken.START_ARRAY) throw f.error("$.conversations", "expected an array, found " + value.asString());
                        int i = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            String path = "$.conversations[" + i++ + "]";
                            JsonNode c = p.readValueAsTree();
                            RawConversation raw = conversation(f, c, path, ids);
                            prefixed(violations, path, PackSchema.violations(conversationSchema, c));
                            raws.add(raw);
                        }
                        if (i == 0) violations.add("$.conversations: the array is empty (the schema wants at least one conversation)");
                    }
                    default -> {
                        p.skipChildren();
                        violations.add("$." + name + ": property is not defined in the schema");
                    }
                }
            }
        } catch (StreamReadException e) {
            throw new ImportException(file, where(e.getLocation()), describe(e));
        } catch (JacksonException e) {
            throw new ImportException(file, null, "not valid JSON: " + e.getOriginalMessage());
        }
        if (meta == null) throw f.error("$.training_file_metadata", "missing object");
        if (!sawProfile) violations.add("$: required property 'consultant_profile' not found");
        String targetModel = f.optionalString(meta, "target_model", "$.training_file_metadata");
        List<RawConversation> withModels = raws.stream().map(r -> r.model() != null || targetModel == null ? r
                : new RawConversation(r.where(), r.id(), r.personaKey(), r.arcKey(), r.topicKey(), r.variationIndex(), r.generationPhase(),
                r.qualityTier(), r.provider(), targetModel, r.pairs(), r.createdDate(), r.arcName(), r.topicName())).toList();
        // A conversation without its own created_date was generated when the file was made, as far as the file says.
        String fileDate = f.optionalString(meta, "created_date", "$.training_file_metadata");
        if (fileDate != null) withModels = withModels.stream().map(r -> r.createdDate() != null ? r
                : new RawConversation(r.where(), r.id(), r.personaKey(), r.arcKey(), r.topicKey(), r.variationIndex(), r.generationPhase(),
                r.qualityTier(), r.provider(), r.model(), r.pairs(), fileDate, r.arcName(), r.topicName())).toList();
        List<RawPair> all = withModels.stream().flatMap(r -> r.pairs().stream()).toList();
        DefectReport defects = new DefectScanner(pack).scan(file, withModels, all, violations);
        return new ImportResult(file, ImportFormat.V4_JSON, rebuild(withModels, variations), defects);
    }

    private static void prefixed(List<String> into, String path, List<String> violations) {
        for (String v : violations) into.add(path + " " + v);
    }

    private static RawConversation conversation(JsonFields f, JsonNode c, String path, Map<String, String> ids) {
        if (!c.isObject()) throw f.error(path, "expected an object, found " + JsonFields.kind(c));
        JsonNode cm = f.object(c, "conversation_metadata", path);
        String cmPath = path + ".conversation_metadata";
        // brun's own files carry its conversation id beside the format's UUID, so a round trip keeps the id.
        String brunId = f.optionalString(cm, "brun_conversation_id", cmPath);
        String id = brunId != null ? brunId : f.string(cm, "conversation_id", cmPath);
        String previous = ids.putIfAbsent(id, path);
        if (previous != null)
            throw f.error(cmPath + ".conversation_id", "duplicate conversation id " + id + " (also at " + previous + ")");
        JsonNode sc = f.object(cm, "scaffolding", cmPath);
        String scPath = cmPath + ".scaffolding";
        JsonNode pairsNode = f.array(c, "training_pairs", path);
        List<RawPair> pairs = new ArrayList<>();
        for (int j = 0; j < pairsNode.size(); j++) pairs.add(pair(f, pairsNode.get(j), path + ".training_pairs[" + j + "]", false));
        return new RawConversation(path, id, f.string(sc, "persona_key", scPath), f.string(sc, "emotional_arc_key", scPath),
                f.string(sc, "training_topic_key", scPath), f.optionalInteger(sc, "variation_index", scPath),
                f.optionalString(sc, "generation_phase", scPath), f.optionalString(cm, "quality_tier", cmPath),
                f.optionalString(cm, "provider", cmPath), f.optionalString(cm, "model", cmPath), pairs,
                f.optionalString(cm, "created_date", cmPath), f.optionalString(sc, "emotional_arc", scPath),
                f.optionalString(sc, "training_topic", scPath));
    }

    private static void checkFormatSpec(JsonFields f, JsonNode meta, String path) {
        String spec = f.optionalString(meta, "format_spec", path);
        if (!V4Document.FORMAT_SPEC.equals(spec))
            throw f.error(path + ".format_spec", "format_spec is " + (spec == null ? "missing" : "'" + spec + "'")
                    + ", expected '" + V4Document.FORMAT_SPEC + "'; brun reads brightrun-lora-v4 files and seed conversations only");
    }

    // ---- v4 JSONL -------------------------------------------------------------------------------------------

    private ImportResult readJsonl(Path file, JsonFields f, Map<String, Integer> variations) {
        Map<String, List<RawPair>> byConversation = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        List<String> violations = new ArrayList<>();
        com.networknt.schema.Schema pairSchema = compiledSchema(true);
        int pairLines = 0;
        String last = null;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank()) continue;
                String where = "line " + line;
                JsonNode node;
                try {
                    node = MAPPER.readTree(text);
                } catch (StreamReadException e) {
                    throw f.error(where + (e.getLocation() == null ? "" : ", column " + e.getLocation().getColumnNr()),
                            e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input")
                                    ? "truncated JSON line (it ends before the object is complete)" : "not valid JSON: " + e.getOriginalMessage());
                }
                if (node == null || !node.isObject()) throw f.error(where, "expected one JSON object per line");
                if (node.has("_meta")) {
                    if (pairLines > 0) throw f.error(where, "_meta must be the first line, before any training pair");
                    checkFormatSpec(f, f.object(node, "_meta", where + ": $"), where + ": $._meta");
                    continue;
                }
                RawPair p = pair(f, node, where + ": $", false);
                if (!p.conversationId().equals(last) && byConversation.containsKey(p.conversationId()))
                    throw f.error(where + ": $.conversation_id", "duplicate conversation id " + p.conversationId()
                            + ": its pairs started at line " + firstLine.get(p.conversationId())
                            + " and another conversation came between; each conversation's pairs must be consecutive and ids unique");
                firstLine.putIfAbsent(p.conversationId(), line);
                byConversation.computeIfAbsent(p.conversationId(), k -> new ArrayList<>()).add(p);
                pairLines++;
                for (String v : PackSchema.violations(pairSchema, node)) violations.add(where + ": " + v);
                last = p.conversationId();
            }
        } catch (IOException e) {
            throw new ImportException(file, null, "cannot read: " + e.getMessage());
        }
        if (byConversation.isEmpty()) throw f.error(null, "no training pairs in the file");
        List<RawConversation> raws = new ArrayList<>();
        byConversation.forEach((id, pairs) -> {
            RawPair first = pairs.getFirst();
            raws.add(new RawConversation(first.where(), id, first.personaKey(), first.arcKey(), first.topicKey(),
                    first.variationIndex(), first.generationPhase(), null, first.provider(), first.model(), pairs, null, null, null));
        });
        DefectReport defects = new DefectScanner(pack).scan(file, raws,
                raws.stream().flatMap(r -> r.pairs().stream()).toList(), violations);
        return new ImportResult(file, ImportFormat.V4_JSONL, rebuild(raws, variations), defects);
    }

    // ---- seed conversations ---------------------------------------------------------------------------------

    private ImportResult readSeed(Path file, JsonNode root, JsonFields f, Map<String, Integer> variations) {
        JsonNode meta = f.object(root, "dataset_metadata", "$");
        JsonNode pairsNode = f.array(root, "training_pairs", "$");
        if (pairsNode.isEmpty()) throw f.error("$.training_pairs", "no training pairs");
        List<RawPair> pairs = new ArrayList<>();
        for (int j = 0; j < pairsNode.size(); j++) pairs.add(pair(f, pairsNode.get(j), "$.training_pairs[" + j + "]", true));
        String id = pairs.getFirst().conversationId();
        for (RawPair p : pairs)
            if (!p.conversationId().equals(id))
                throw f.error(p.where() + ".conversation_id", "a seed file holds one conversation, but this pair belongs to "
                        + p.conversationId() + " and the first to " + id);
        RawPair first = pairs.getFirst();
        String persona = first.personaKey() != null ? first.personaKey() : personaKeyFromName(first.clientPersona());
        RawConversation raw = new RawConversation("$", id, persona,
                first.arcKey() == null ? UNSPECIFIED : first.arcKey(), first.topicKey() == null ? UNSPECIFIED : first.topicKey(),
                null, "seed", f.optionalString(meta, "quality_tier", "$.dataset_metadata"), null, null, pairs,
                f.optionalString(meta, "created_date", "$.dataset_metadata"), null, null);
        List<String> violations = new ArrayList<>();
        com.networknt.schema.Schema pairSchema = compiledSchema(true);
        for (int j = 0; j < pairsNode.size(); j++)
            for (String v : PackSchema.violations(pairSchema, pairsNode.get(j))) violations.add("$.training_pairs[" + j + "] " + v);
        DefectReport defects = new DefectScanner(pack).scan(file, List.of(raw), pairs, violations);
        return new ImportResult(file, ImportFormat.SEED, rebuild(List.of(raw), variations), defects);
    }

    /** Seed files name the persona ("Marcus Thompson - The Overwhelmed Avoider") but carry no key. */
    static final String UNSPECIFIED = "unspecified";

    static String personaKeyFromName(String clientPersona) {
        if (clientPersona == null || clientPersona.isBlank()) return UNSPECIFIED;
        String s = clientPersona;
        int dash = s.lastIndexOf(" - ");
        if (dash >= 0) s = s.substring(dash + 3);
        s = s.replaceFirst("(?i)^the\\s+", "");
        return s.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    // ---- pairs ----------------------------------------------------------------------------------------------

    private static RawPair pair(JsonFields f, JsonNode p, String path, boolean seed) {
        if (p == null || !p.isObject()) throw f.error(path, "expected a training pair object, found " + (p == null ? "nothing" : JsonFields.kind(p)));
        String id = f.string(p, "id", path);
        String brunId = f.optionalString(p, "brun_conversation_id", path);
        String conversationId = brunId != null ? brunId : f.string(p, "conversation_id", path);
        int turn = f.integer(p, "turn_number", path);
        JsonNode cm = f.object(p, "conversation_metadata", path);
        String cmPath = path + ".conversation_metadata";
        JsonNode historyNode = f.array(p, "conversation_history", path);
        List<RawPair.HistoryTurn> history = new ArrayList<>();
        for (int i = 0; i < historyNode.size(); i++) {
            String hPath = path + ".conversation_history[" + i + "]";
            JsonNode h = historyNode.get(i);
            if (!h.isObject()) throw f.error(hPath, "expected an object, found " + JsonFields.kind(h));
            // Seed files carry hand-shortened histories (some without roles); only v4 files must be exact.
            String role = seed ? f.optionalString(h, "role", hPath) : f.string(h, "role", hPath);
            if (role != null && !role.equals("user") && !role.equals("assistant"))
                throw f.error(hPath + ".role", "role is '" + role + "', expected user or assistant");
            String content = seed ? f.optionalString(h, "content", hPath) : f.string(h, "content", hPath);
            history.add(new RawPair.HistoryTurn(role, content, emotionalState(f, h, "emotional_state", hPath)));
        }
        String input = f.string(p, "current_user_input", path);
        JsonNode ec = f.object(f.object(p, "emotional_context", path), "detected_emotions", path + ".emotional_context");
        String ecPath = path + ".emotional_context.detected_emotions";
        Double intensity = f.optionalNumber(ec, "intensity", ecPath);
        if (intensity == null) throw f.error(ecPath + ".intensity", "missing number");
        Double confidence = f.optionalNumber(ec, "primary_confidence", ecPath);
        String valence = f.string(ec, "valence", ecPath);
        RawPair.RawEmotion emotion = new RawPair.RawEmotion(f.string(ec, "primary", ecPath), f.optionalString(ec, "secondary", ecPath),
                intensity, confidence == null ? 0 : confidence, valence);
        String target = f.optionalString(p, "target_response", path);
        JsonNode tm = f.object(p, "training_metadata", path);
        String tmPath = path + ".training_metadata";
        JsonNode qc = f.optionalObject(tm, "quality_criteria", tmPath);
        double[] criteria = null;
        if (qc != null) {
            String qcPath = tmPath + ".quality_criteria";
            Double e = f.optionalNumber(qc, "empathy_score", qcPath), c = f.optionalNumber(qc, "clarity_score", qcPath),
                    a = f.optionalNumber(qc, "appropriateness_score", qcPath), b = f.optionalNumber(qc, "brand_voice_alignment", qcPath);
            if (e != null && c != null && a != null && b != null) criteria = new double[]{e, c, a, b};
        }
        return new RawPair(path, id, conversationId, turn,
                f.optionalString(cm, "persona_archetype", cmPath), f.optionalString(cm, "client_persona", cmPath),
                f.optionalString(cm, "client_background", cmPath), f.optionalString(cm, "emotional_arc_key", cmPath),
                f.optionalString(cm, "training_topic_key", cmPath), f.optionalString(cm, "session_context", cmPath),
                f.optionalString(cm, "conversation_phase", cmPath), f.optionalString(cm, "expected_outcome", cmPath),
                history, input, emotion, target, f.optionalString(tm, "key_learning_objective", tmPath),
                f.optionalStrings(tm, "demonstrates_skills", tmPath), f.optionalNumber(tm, "quality_score", tmPath), criteria,
                f.optionalString(tm, "quality_method", tmPath), f.optionalBoolean(tm, "human_reviewed", tmPath),
                f.optionalString(tm, "reviewer_notes", tmPath), f.optionalBoolean(tm, "use_as_seed_example", tmPath),
                f.optionalInteger(cm, "variation_index", cmPath), f.optionalString(cm, "generation_phase", cmPath),
                f.optionalString(cm, "provider", cmPath), f.optionalString(cm, "model", cmPath),
                f.optionalString(p, "system_prompt", path), f.optionalString(cm, "emotional_arc", cmPath),
                f.optionalString(cm, "training_topic", cmPath), emotionalState(f, p, "brun_target_emotional_state", path));
    }

    /** An emotional state object (primary, secondary, intensity) under this key, or null when absent or empty. */
    private static RawPair.RawEmotion emotionalState(JsonFields f, JsonNode parent, String key, String path) {
        JsonNode es = f.optionalObject(parent, key, path);
        if (es == null || !es.has("primary")) return null;
        Double intensity = f.optionalNumber(es, "intensity", path + "." + key);
        return new RawPair.RawEmotion(f.string(es, "primary", path + "." + key), f.optionalString(es, "secondary", path + "." + key),
                intensity == null ? 0 : intensity, 0, null);
    }

    /**
     * The original platform's files do not keep to the valence enum ("very_positive", "concerned_but_rational",
     * "mixed_negative_but_improving"): a value is a value, not structure, so it is read by what the word says and
     * the defect report counts it. Both or neither of positive/negative named means mixed.
     */
    static Valence valence(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("positive")) return Valence.POSITIVE;
        if (v.startsWith("negative")) return Valence.NEGATIVE;
        if (v.startsWith("mixed")) return Valence.MIXED;
        boolean positive = v.contains("positive"), negative = v.contains("negative");
        if (positive && !negative) return Valence.POSITIVE;
        if (negative && !positive) return Valence.NEGATIVE;
        return Valence.MIXED;
    }

    /** One of the enum's three words exactly. */
    static boolean standardValence(String s) {
        return s.equals("positive") || s.equals("negative") || s.equals("mixed");
    }

    // ---- rebuilding conversations ---------------------------------------------------------------------------

    record RawConversation(String where, String id, String personaKey, String arcKey, String topicKey, Integer variationIndex,
                           String generationPhase, String qualityTier, String provider, String model, List<RawPair> pairs,
                           String createdDate, String arcName, String topicName) {}

    private static List<ImportedConversation> rebuild(List<RawConversation> raws, Map<String, Integer> variations) {
        List<ImportedConversation> out = new ArrayList<>();
        for (RawConversation raw : raws) {
            String persona = raw.personaKey() == null ? UNSPECIFIED : raw.personaKey();
            String arc = raw.arcKey() == null ? UNSPECIFIED : raw.arcKey();
            String topic = raw.topicKey() == null ? UNSPECIFIED : raw.topicKey();
            String combination = persona + "|" + arc + "|" + topic;
            int next = variations.merge(combination, 1, Integer::sum) - 1;
            int variation = raw.variationIndex() != null ? raw.variationIndex() : next;
            Scaffolding scaffolding = new Scaffolding(persona, arc, topic, variation,
                    raw.generationPhase() == null ? "seed" : raw.generationPhase());
            out.add(rebuild(raw, scaffolding));
        }
        return out;
    }

    /** The reply with the emotional state its file recorded for it (kept as recorded, never made up). */
    private static Turn reply(Turn t, Map<String, RawPair.RawEmotion> recorded) {
        RawPair.RawEmotion e = recorded.get(t.content());
        return e == null ? t : new Turn(t.index(), t.role(), t.content(), emotion(e), t.phase(), t.learningObjective(), t.skills());
    }

    private static ImportedConversation rebuild(RawConversation raw, Scaffolding scaffolding) {
        List<RawPair> pairs = raw.pairs().stream().sorted(Comparator.comparingInt(RawPair::turnNumber)).toList();
        // The original platform wrote a target-less pair per user turn; its emotional context is the user's.
        Map<String, RawPair.RawEmotion> userTurnEmotion = new HashMap<>();
        for (RawPair p : pairs) if (!p.hasTarget()) userTurnEmotion.putIfAbsent(p.input(), p.emotion());
        List<RawPair> replies = pairs.stream().filter(RawPair::hasTarget).toList();
        // A consultant reply's emotional state, when the file recorded one, is in the history of the pairs after it.
        Map<String, RawPair.RawEmotion> replyEmotion = new HashMap<>();
        for (RawPair p : replies) if (p.targetEmotion() != null) replyEmotion.put(p.target(), p.targetEmotion());
        for (RawPair p : pairs)
            for (RawPair.HistoryTurn h : p.history())
                if ("assistant".equals(h.role()) && h.content() != null && h.emotion() != null) replyEmotion.putIfAbsent(h.content(), h.emotion());
        List<Turn> turns = new ArrayList<>();
        if (!replies.isEmpty()) {
            RawPair first = replies.getFirst();
            List<RawPair.HistoryTurn> history = withoutRepeatedInput(first);
            for (RawPair.HistoryTurn h : history) {
                if (h.role() == null || h.content() == null) break;
                if (!h.role().equals(turns.size() % 2 == 0 ? "user" : "assistant")) break;
                turns.add(h.role().equals("user") ? Turn.user(turns.size(), h.content(), emotion(h.emotion()))
                        : reply(Turn.assistant(turns.size(), h.content(), null, null, List.of()), replyEmotion));
            }
            if (turns.size() % 2 == 1) turns.removeLast();
        }
        for (RawPair p : replies) {
            RawPair.RawEmotion e = userTurnEmotion.getOrDefault(p.input(), p.emotion());
            turns.add(Turn.user(turns.size(), p.input(), emotion(e)));
            turns.add(reply(Turn.assistant(turns.size(), p.target(), p.phase(), p.learningObjective(), p.skills()), replyEmotion));
        }
        RawPair context = replies.isEmpty() ? (pairs.isEmpty() ? null : pairs.getFirst()) : replies.getFirst();
        Conversation c = new Conversation(raw.id(), "imported:" + raw.id(), scaffolding,
                context == null ? null : context.sessionContext(), context == null ? null : context.expectedOutcome(),
                turns, Source.IMPORTED, raw.provider(), raw.model());
        String systemPrompt = pairs.stream().map(RawPair::systemPrompt).filter(x -> x != null && !x.isBlank()).findFirst().orElse(null);
        String arcName = raw.arcName() != null ? raw.arcName()
                : pairs.stream().map(RawPair::arcName).filter(x -> x != null && !x.isBlank()).findFirst().orElse(null);
        String topicName = raw.topicName() != null ? raw.topicName()
                : pairs.stream().map(RawPair::topicName).filter(x -> x != null && !x.isBlank()).findFirst().orElse(null);
        return new ImportedConversation(c, scores(replies), review(raw, pairs),
                new Provenance(systemPrompt, date(raw.createdDate()), arcName, topicName));
    }

    /** 2025-12-03 or 2025-12-03T20:44:02.793Z as a date; a date in another shape is a value, not structure: left out. */
    static LocalDate date(String text) {
        if (text == null || text.length() < 10) return null;
        try {
            return LocalDate.parse(text.substring(0, 10));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static List<RawPair.HistoryTurn> withoutRepeatedInput(RawPair p) {
        List<RawPair.HistoryTurn> h = p.history();
        if (!h.isEmpty() && "user".equals(h.getLast().role()) && p.input().equals(h.getLast().content()))
            return h.subList(0, h.size() - 1);
        return h;
    }

    private static Emotion emotion(RawPair.RawEmotion e) {
        if (e == null) return null;
        Valence v = e.valence() == null ? Valence.MIXED : valence(e.valence());
        return new Emotion(e.primary(), e.secondary(), e.intensity(), e.confidence(), v);
    }

    private static Scores scores(List<RawPair> replies) {
        List<RawPair> scored = replies.stream().filter(p -> p.qualityScore() != null).toList();
        if (scored.isEmpty()) return null;
        double overall = scored.stream().mapToDouble(RawPair::qualityScore).average().orElseThrow();
        double[] sums = new double[4];
        int withCriteria = 0;
        for (RawPair p : scored) {
            if (p.criteria() == null) continue;
            withCriteria++;
            for (int i = 0; i < 4; i++) sums[i] += p.criteria()[i];
        }
        double[] c = new double[4];
        for (int i = 0; i < 4; i++) c[i] = withCriteria == 0 ? overall : sums[i] / withCriteria;
        String method = scored.getFirst().qualityMethod() == null ? "imported" : scored.getFirst().qualityMethod();
        return new Scores(c[0], c[1], c[2], c[3], overall, method, Map.of());
    }

    private static Review review(RawConversation raw, List<RawPair> pairs) {
        boolean reviewed = pairs.stream().anyMatch(RawPair::humanReviewed);
        boolean seed = pairs.stream().anyMatch(RawPair::seedExample);
        String notes = pairs.stream().map(RawPair::reviewerNotes).filter(n -> n != null && !n.isBlank()).findFirst().orElse(null);
        ReviewStatus status = "rejected".equals(raw.qualityTier()) ? ReviewStatus.REJECTED
                : reviewed ? ReviewStatus.APPROVED : ReviewStatus.PENDING;
        return new Review(status, seed, notes, null, null);
    }

    // ---- schema ---------------------------------------------------------------------------------------------

    /** The pack's schema when there is a pack (its keys are the valid ones), else the published one. */
    private com.networknt.schema.Schema compiledSchema(boolean singlePair) {
        var schema = pack == null ? PackSchema.reference() : PackSchema.forPack(pack);
        return PackSchema.compile(singlePair ? PackSchema.pairSchema(schema) : schema);
    }
}

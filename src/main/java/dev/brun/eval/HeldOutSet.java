package dev.brun.eval;

import dev.brun.BadInputException;
import dev.brun.export.Exporter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The conversations of one split of an export, by id, with the system prompt the export trained with and a
 * hash of the file they were read from (two eval runs on different data must not be compared as if alike).
 * Read from the brightrun-lora-v4 JSONL (or JSON) file, which names each conversation and its split.
 *
 * @param split {@code validation}, {@code train} or {@code all}
 */
public record HeldOutSet(Path exportDir, String split, List<String> conversationIds, String systemPrompt, String datasetHash) {
    public static final List<String> SPLITS = List.of("validation", "train", "all");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public HeldOutSet { conversationIds = List.copyOf(conversationIds); }

    /** The newest export folder of a project (exports/ holds one folder per export, named by UTC time). */
    public static Path latestExport(Path exportsDir) {
        if (!Files.isDirectory(exportsDir))
            throw new BadInputException("no export yet in " + exportsDir + ": run 'brun export' first, or pass --from EXPORT_DIR");
        try (Stream<Path> dirs = Files.list(exportsDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(Exporter.MANIFEST)))
                    .max((a, b) -> {
                        try {
                            int byTime = Files.getLastModifiedTime(a.resolve(Exporter.MANIFEST)).compareTo(Files.getLastModifiedTime(b.resolve(Exporter.MANIFEST)));
                            return byTime != 0 ? byTime : a.getFileName().toString().compareTo(b.getFileName().toString());
                        } catch (IOException e) {
                            return a.getFileName().toString().compareTo(b.getFileName().toString());
                        }
                    })
                    .orElseThrow(() -> new BadInputException("no finished export in " + exportsDir
                            + " (no folder with a " + Exporter.MANIFEST + "): run 'brun export' first, or pass --from EXPORT_DIR"));
        } catch (IOException e) {
            throw new BadInputException("cannot list " + exportsDir + ": " + e.getMessage());
        }
    }

    public static HeldOutSet read(Path exportDir, String split) {
        if (!SPLITS.contains(split)) throw new BadInputException("--split must be one of " + SPLITS + ", got " + split);
        Path jsonl = exportDir.resolve(Exporter.V4_JSONL);
        Path json = exportDir.resolve(Exporter.V4_JSON);
        Set<String> ids = new LinkedHashSet<>();
        String[] system = {null};
        Path source;
        if (Files.isRegularFile(jsonl)) {
            source = jsonl;
            try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
                String line;
                int n = 0;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (line.isBlank()) continue;
                    JsonNode pair = parse(line, jsonl, n);
                    if (pair.has("_meta")) continue;
                    String id = pair.path("brun_conversation_id").asString("");
                    if (id.isEmpty()) throw new BadInputException(jsonl + " line " + n + ": no brun_conversation_id (not a brun export?)");
                    if (!split.equals("all") && !split.equals(pair.path("split").asString(""))) continue;
                    ids.add(id);
                    if (system[0] == null) system[0] = pair.path("system_prompt").asString(null);
                }
            } catch (IOException e) {
                throw new BadInputException("cannot read " + jsonl + ": " + e.getMessage());
            }
        } else if (Files.isRegularFile(json)) {
            source = json;
            JsonNode root;
            try {
                root = JSON.readTree(json.toFile());
            } catch (JacksonException e) {
                throw new BadInputException(json + " is not valid JSON: " + e.getOriginalMessage());
            }
            for (JsonNode c : root.path("conversations")) {
                JsonNode meta = c.path("conversation_metadata");
                String id = meta.path("brun_conversation_id").asString("");
                if (id.isEmpty()) throw new BadInputException(json + ": a conversation has no conversation_metadata.brun_conversation_id (not a brun export?)");
                if (!split.equals("all") && !split.equals(meta.path("split").asString(""))) continue;
                ids.add(id);
                if (system[0] == null) for (JsonNode p : c.path("training_pairs")) { system[0] = p.path("system_prompt").asString(null); break; }
            }
        } else {
            throw new BadInputException(exportDir + " holds neither " + Exporter.V4_JSONL + " nor " + Exporter.V4_JSON
                    + ": eval reads the held-out conversations from the brightrun-lora-v4 files (export with --format v4-jsonl or all)");
        }
        if (ids.isEmpty())
            throw new BadInputException(source + " has no conversation in the " + split + " split"
                    + (split.equals("validation") ? " (export with --split below 1, e.g. 0.9, or pass --split all)" : ""));
        return new HeldOutSet(exportDir, split, new ArrayList<>(ids), system[0], sha256(source) + ":" + split);
    }

    private static JsonNode parse(String line, Path file, int n) {
        try {
            return JSON.readTree(line);
        } catch (JacksonException e) {
            throw new BadInputException(file + " line " + n + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

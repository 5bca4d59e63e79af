package dev.brun.run;

import dev.brun.WorkFailedException;
import dev.brun.conversation.Generation;
import dev.brun.prompt.UnitSpec;
import dev.brun.store.Database;
import dev.brun.store.LedgerOutcome;
import dev.brun.store.UnitRecord;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.StopReason;
import dev.brun.llm.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Paid replies that could not be stored because the database stopped answering: one JSON line per reply, keyed
 * by unit, appended and synced to disk before the reply counts as kept. The next run stores them first (without
 * calling the provider for them again) and then removes the file.
 */
public final class ReplySpool {
    private static final Logger LOG = LoggerFactory.getLogger(ReplySpool.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The spool file's name in the project folder. */
    public static final String FILE = "unstored-replies.jsonl";

    private final Path file;

    /** One kept reply: the unit it answers, how it was asked for, what it cost, and the reply itself. */
    public record Spooled(String unitKey, String model, double temperature, double costUsd, GenerationResult result) {}

    public ReplySpool(Path file) { this.file = file; }

    public static ReplySpool in(Path projectDir) { return new ReplySpool(projectDir.resolve(FILE)); }

    public Path file() { return file; }

    /** Appends a reply and syncs it to disk; returns only once it is there. */
    public synchronized void append(Spooled s) {
        ObjectNode line = JSON.createObjectNode();
        line.put("unit_key", s.unitKey());
        line.put("model", s.model());
        line.put("temperature", s.temperature());
        line.put("cost_usd", s.costUsd());
        GenerationResult r = s.result();
        line.set("tool_input", r.toolInput());
        line.put("text", r.text());
        line.put("stop_reason", r.stopReason().name());
        Usage u = r.usage();
        ObjectNode usage = line.putObject("usage");
        usage.put("input_tokens", u.inputTokens());
        usage.put("output_tokens", u.outputTokens());
        usage.put("cache_read_tokens", u.cacheReadTokens());
        usage.put("cache_write_tokens", u.cacheWriteTokens());
        usage.put("cache_write_1h_tokens", u.cacheWrite1hTokens());
        line.put("request_id", r.requestId());
        line.put("latency_ms", r.latencyMillis());
        line.put("attempts", r.attempts());
        byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        } catch (IOException e) {
            throw new WorkFailedException("cannot keep a paid reply in " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean isEmpty() {
        try {
            return !Files.exists(file) || Files.size(file) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The kept replies in the order they arrived; a last line cut short by a crash is skipped (it was never kept). */
    public List<Spooled> read() {
        if (!Files.exists(file)) return List.of();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WorkFailedException("cannot read the unstored replies in " + file + ": " + e.getMessage(), e);
        }
        List<Spooled> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                out.add(parse(JSON.readTree(lines.get(i))));
            } catch (RuntimeException e) {
                LOG.warn("{} line {}: not a complete reply, skipped ({})", file, i + 1, e.getMessage());
            }
        }
        return out;
    }

    /** Removes the file once every reply in it is stored. */
    public synchronized void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new WorkFailedException("cannot remove " + file + " after storing its replies: " + e.getMessage(), e);
        }
    }

    /**
     * Stores every kept reply as its call would have been (stored, or charged and failed; a truncated or broken
     * reply is charged and its unit goes back to pending, to be asked again), then removes the file. A reply
     * whose request id is in the ledger already (a run that stopped half-way through this) is skipped.
     * Returns how many conversations were stored.
     */
    int storeAll(Database db, ReplyIngest ingest) {
        int stored = 0;
        for (Spooled s : read()) {
            Optional<UnitRecord> found = db.units().find(s.unitKey());
            if (found.isEmpty()) continue;
            UnitRecord unit = found.get();
            GenerationResult r = s.result();
            if (!r.requestId().isEmpty() && db.ledger().forUnit(unit.key()).stream().anyMatch(e -> r.requestId().equals(e.requestId())))
                continue;
            Generation g = ingest.generation(s.model(), s.temperature(), r, s.costUsd());
            long oneHour = r.usage().cacheWrite1hTokens();
            Optional<UnitSpec> spec = ingest.spec(unit);
            if (spec.isEmpty()) {
                ingest.charge(unit, g, oneHour, false, LedgerOutcome.FAILED);
                db.units().markFailed(unit.key(), "pack_changed", ReplyIngest.packChangedDetail(unit));
                continue;
            }
            switch (ingest.judge(r, spec.get(), s.model())) {
                case ReplyIngest.Judgement.Valid v -> {
                    if (ingest.store(unit, v, g, oneHour, false)) stored++;
                }
                case ReplyIngest.Judgement.Truncated t -> {
                    ingest.charge(unit, g, oneHour, false, LedgerOutcome.RETRIED);
                    db.units().returnToPending(unit.key());
                }
                case ReplyIngest.Judgement.NotJson notJson -> {
                    ingest.charge(unit, g, oneHour, false, LedgerOutcome.RETRIED);
                    db.units().returnToPending(unit.key());
                }
                case ReplyIngest.Judgement.Refused refused -> {
                    ingest.charge(unit, g, oneHour, false, LedgerOutcome.FAILED);
                    db.units().markFailed(unit.key(), "refusal", refused.detail());
                }
                case ReplyIngest.Judgement.Invalid inv -> {
                    ingest.charge(unit, g, oneHour, false, LedgerOutcome.FAILED);
                    db.units().markFailed(unit.key(), inv.reason(), inv.detail());
                }
            }
        }
        clear();
        return stored;
    }

    private static Spooled parse(JsonNode n) {
        JsonNode u = n.required("usage");
        Usage usage = new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(), u.path("cache_read_tokens").asLong(),
                u.path("cache_write_tokens").asLong(), u.path("cache_write_1h_tokens").asLong());
        JsonNode tool = n.get("tool_input");
        GenerationResult r = new GenerationResult(tool == null || tool.isNull() ? null : tool, n.path("text").asString(""),
                StopReason.valueOf(n.required("stop_reason").asString()), usage, n.path("request_id").asString(""),
                n.path("latency_ms").asLong(), n.path("attempts").asInt(1), null);
        return new Spooled(n.required("unit_key").asString(), n.required("model").asString(), n.path("temperature").asDouble(),
                n.path("cost_usd").asDouble(), r);
    }
}

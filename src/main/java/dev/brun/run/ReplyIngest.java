package dev.brun.run;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Generation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.llm.CacheTtl;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.StopReason;
import dev.brun.llm.SystemBlock;
import dev.brun.llm.ToolSpec;
import dev.brun.llm.Usage;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.plan.OutputBudget;
import dev.brun.prompt.Prompt;
import dev.brun.prompt.UnitSpec;
import dev.brun.store.ConversationRecordBundle;
import dev.brun.store.Database;
import dev.brun.store.LedgerEntry;
import dev.brun.store.LedgerOutcome;
import dev.brun.store.QualityDao;
import dev.brun.store.UnitRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * What the synchronous engine and the batch runner share: the request a unit sends, the verdict on one
 * billed reply, and storing it (conversation and ledger line in one transaction) or charging it as failed.
 * Both paths go through here so that a reply is judged and stored the same way whichever way it came.
 */
public final class ReplyIngest {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyIngest.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Database db;
    private final Pack pack;
    private final String provider;
    private final ConversationHook hook;
    private final ReplyParser parser;

    public ReplyIngest(Database db, Pack pack, String provider, ConversationHook hook) {
        this.db = db;
        this.pack = pack;
        this.provider = provider;
        this.hook = hook;
        this.parser = new ReplyParser(pack);
    }

    /** What one billed reply amounts to. */
    public sealed interface Judgement {
        /** Stopped at max_tokens. */
        record Truncated() implements Judgement {}

        record Refused(String detail) implements Judgement {}

        /** No JSON object anywhere in the reply (a repair retry may help). */
        record NotJson(String detail) implements Judgement {}

        /** JSON that breaks the contract; reason is ReplyParser's stable code. */
        record Invalid(String reason, String detail) implements Judgement {}

        /** repairs: what the parser changed to fit the unit's contract (empty: nothing); stored as a warning flag. */
        record Valid(Conversation conversation, List<String> repairs) implements Judgement {
            public Valid {
                repairs = List.copyOf(repairs);
            }

            public Valid(Conversation conversation) { this(conversation, List.of()); }
        }
    }

    /** The unit's pack entries, or empty when the pack no longer has one of them. */
    public Optional<UnitSpec> spec(UnitRecord unit) {
        try {
            return Optional.of(new UnitSpec(unit.key(), Phase.fromWire(unit.phase()), pack.persona(unit.personaKey()).orElseThrow(),
                    pack.arc(unit.arcKey()).orElseThrow(), pack.topic(unit.topicKey()).orElseThrow(), unit.variationIndex()));
        } catch (NoSuchElementException e) {
            return Optional.empty();
        }
    }

    public static String packChangedDetail(UnitRecord unit) {
        return "the pack no longer has " + unit.personaKey() + "/" + unit.arcKey() + "/" + unit.topicKey();
    }

    /** The one request a unit sends, with the five-minute cache lifetime. */
    public static GenerationRequest request(UnitSpec spec, Prompt prompt, String model, double temperature) {
        return request(spec, prompt, model, temperature, CacheTtl.FIVE_MINUTES);
    }

    /**
     * The one request a unit sends: two cache breakpoints with this lifetime (after the static block, shared by
     * the phase; after the persona and arc block, shared by the ~20 topics of a pair that are claimed one after
     * another), then the per-unit block uncached, the forced tool and the arc's max_tokens. Both breakpoints
     * ask for the same lifetime, so the API's rule that longer-lived ones come first always holds.
     */
    public static GenerationRequest request(UnitSpec spec, Prompt prompt, String model, double temperature, CacheTtl cacheTtl) {
        return new GenerationRequest(model,
                List.of(SystemBlock.cached(prompt.staticBlock(), cacheTtl), SystemBlock.cached(prompt.personaArcBlock(), cacheTtl),
                        SystemBlock.plain(prompt.unitBlock())),
                prompt.userMessage(), new ToolSpec(prompt.toolName(), prompt.toolDescription(), prompt.toolSchema()),
                temperature, OutputBudget.maxTokens(spec.arc()), spec.unitKey());
    }

    public Judgement judge(GenerationResult r, UnitSpec spec, String model) {
        if (r.truncated()) return new Judgement.Truncated();
        if (r.stopReason() == StopReason.REFUSAL) return new Judgement.Refused("the model refused: " + abbreviate(r.text()));
        JsonNode input = r.toolInput() != null ? r.toolInput() : jsonIn(r.text());
        if (input == null)
            return new Judgement.NotJson(r.text().isBlank() ? "the reply had no content" : "the reply was not a JSON object: " + abbreviate(r.text()));
        return switch (parser.parse(input, spec, provider, model)) {
            case ReplyVerdict.Invalid inv -> new Judgement.Invalid(inv.reason(), inv.detail());
            case ReplyVerdict.Valid v -> new Judgement.Valid(v.conversation(), v.repairs());
        };
    }

    /**
     * Stores a valid conversation with its ledger line. False when the unit was stored already (by another
     * run, or synchronously while its batch was out): the call is then recorded as a paid duplicate.
     */
    public boolean store(UnitRecord unit, Conversation conversation, Generation generation, boolean batch) {
        return store(unit, conversation, generation, 0, batch);
    }

    /** The same, with the one-hour part of the call's cache writes (the ledger prices it apart). */
    public boolean store(UnitRecord unit, Conversation conversation, Generation generation, long cacheWrite1hTokens, boolean batch) {
        return store(unit, conversation, List.of(), generation, cacheWrite1hTokens, batch);
    }

    /** The same for a repaired reply: the repairs become one warning flag that later re-checks keep. */
    public boolean store(UnitRecord unit, Judgement.Valid valid, Generation generation, long cacheWrite1hTokens, boolean batch) {
        return store(unit, valid.conversation(), valid.repairs(), generation, cacheWrite1hTokens, batch);
    }

    private boolean store(UnitRecord unit, Conversation conversation, List<String> repairs, Generation generation,
                          long cacheWrite1hTokens, boolean batch) {
        boolean stored = db.conversations().storeGenerated(new ConversationRecordBundle(conversation, generation, batch, cacheWrite1hTokens));
        if (!stored) {
            db.ledger().record(LedgerEntry.of(unit.key(), unit.phase(), generation, cacheWrite1hTokens, batch, LedgerOutcome.RETRIED, Instant.now()));
            LOG.warn("unit {} was already stored; this {}call is recorded as a paid duplicate", unit.key(), batch ? "batch " : "");
            return false;
        }
        if (!repairs.isEmpty()) {
            db.quality().addFlag(conversation.id(), QualityFlag.of(QualityDao.REPAIRED, Severity.WARNING,
                    "repaired: " + String.join("; ", repairs), null));
            LOG.info("unit {}: reply repaired and kept ({} repair{})", unit.key(), repairs.size(), repairs.size() == 1 ? "" : "s");
        }
        try {
            hook.stored(conversation);
        } catch (RuntimeException e) {
            LOG.warn("quality checks failed on {}: {}", conversation.id(), e.toString());
        }
        return true;
    }

    public void charge(UnitRecord unit, Generation generation, boolean batch, LedgerOutcome outcome) {
        charge(unit, generation, 0, batch, outcome);
    }

    public void charge(UnitRecord unit, Generation generation, long cacheWrite1hTokens, boolean batch, LedgerOutcome outcome) {
        db.ledger().record(LedgerEntry.of(unit.key(), unit.phase(), generation, cacheWrite1hTokens, batch, outcome, Instant.now()));
    }

    public Generation generation(String model, double temperature, GenerationResult r, double cost) {
        Usage u = r.usage();
        return new Generation(provider, model, temperature, u.inputTokens(), u.outputTokens(),
                u.cacheReadTokens(), u.cacheWriteTokens(), cost, r.latencyMillis(),
                r.stopReason().name().toLowerCase(Locale.ROOT), r.attempts(), r.requestId());
    }

    /** The first JSON object in a text reply (a model that answered in prose around its JSON). */
    static JsonNode jsonIn(String text) {
        if (text == null) return null;
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end <= start) return null;
        try {
            JsonNode n = MAPPER.readTree(text.substring(start, end + 1));
            return n.isObject() ? n : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String abbreviate(String s) {
        String t = s == null ? "" : s.strip().replaceAll("\\s+", " ");
        return t.length() > 160 ? t.substring(0, 157) + "..." : t;
    }
}

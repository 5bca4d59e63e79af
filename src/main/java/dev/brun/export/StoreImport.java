package dev.brun.export;

import dev.brun.conversation.QualityFlag;
import dev.brun.quality.ConversationChecker;
import dev.brun.quality.HeuristicScorer;

import dev.brun.BadInputException;
import dev.brun.conversation.Conversation;
import dev.brun.conversation.Review;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Scaffolding;
import dev.brun.pack.Arc;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;
import dev.brun.pack.Topic;
import dev.brun.store.Database;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Puts what {@link Importer#readAll} read into a project's database, in one transaction: conversations
 * (source=imported), their scores and their review. A conversation whose id is already stored is skipped, so
 * importing the same file twice adds nothing. Files are fitted to the project's pack first: a persona key that
 * names a persona's archetype (how the original platform keyed personas) becomes that persona's key, and seed
 * files, which name no arc or topic, take the keys the caller gives.
 */
public final class StoreImport {
    /** Who review changes made by an import are logged as. */
    public static final String ACTOR = "import";

    /**
     * @param asSeed  mark every imported conversation approved and a seed example for expansion
     * @param persona persona key for conversations that name none (seed files: replaces the key guessed from the name)
     * @param arc     arc key for conversations that name none
     * @param topic   topic key for conversations that name none
     */
    public record Options(boolean asSeed, String persona, String arc, String topic) {
        public static Options defaults() { return new Options(false, null, null, null); }
    }

    /** One file's result: conversations read, newly stored, skipped because their id was already stored. */
    public record FileOutcome(Path file, ImportFormat format, int read, int imported, int alreadyStored,
                              Map<String, String> rekeyed, DefectReport defects) {
        public FileOutcome {
            rekeyed = Map.copyOf(rekeyed);
        }
    }

    public record Outcome(List<FileOutcome> files) {
        public Outcome {
            files = List.copyOf(files);
        }

        public int read() { return files.stream().mapToInt(FileOutcome::read).sum(); }
        public int imported() { return files.stream().mapToInt(FileOutcome::imported).sum(); }
        public int alreadyStored() { return files.stream().mapToInt(FileOutcome::alreadyStored).sum(); }
    }

    private final Database db;
    private final Pack pack;

    private final ConversationChecker checker = ConversationChecker.standard();
    private final HeuristicScorer scorer = new HeuristicScorer();

    public StoreImport(Database db, Pack pack) {
        this.db = db;
        this.pack = pack;
    }

    /** Checks the given keys against the pack before anything is read or written. */
    public void validate(Options options) {
        requireKey("--persona", options.persona(), pack.personas(), Persona::key);
        requireKey("--arc", options.arc(), pack.arcs(), Arc::key);
        requireKey("--topic", options.topic(), pack.topics(), Topic::key);
    }

    private <T> void requireKey(String option, String key, List<T> defined, Function<T, String> keyOf) {
        if (key == null) return;
        List<String> keys = defined.stream().map(keyOf).toList();
        if (!keys.contains(key))
            throw new BadInputException(option + " " + key + " is not defined in pack " + pack.name() + "; use one of " + keys);
    }

    /** Stores every conversation of the results (already validated whole by the importer) in one transaction. */
    public Outcome store(List<Importer.ImportResult> results, Options options) {
        validate(options);
        return db.writes().inTransaction(h -> {
            List<FileOutcome> outcomes = new ArrayList<>();
            for (Importer.ImportResult r : results) outcomes.add(store(r, options));
            return new Outcome(outcomes);
        });
    }

    private FileOutcome store(Importer.ImportResult r, Options options) {
        int imported = 0, already = 0;
        Map<String, String> rekeyed = new TreeMap<>();
        for (ImportedConversation original : r.conversations()) {
            ImportedConversation ic = fitted(original, r.format() == ImportFormat.SEED, options, rekeyed);
            if (options.asSeed()) ic = ic.asSeed();
            // Imported conversations belong to no planned unit (unit_key references the units table).
            Conversation c = ic.conversation();
            Conversation stored = new Conversation(c.id(), null, c.scaffolding(), c.sessionContext(), c.expectedOutcome(),
                    c.turns(), c.source(), c.provider(), c.model());
            if (!db.conversations().insertImported(stored, ic.provenance())) {
                already++;
                continue;
            }
            imported++;
            // Checked at import by the code that checks generated conversations, so a cut-off reply is flagged
            // (and left out of a passing export) before anyone runs brun check.
            List<QualityFlag> flags = checker.check(stored, pack);
            db.quality().replaceFlags(c.id(), flags);
            db.quality().putScores(c.id(), ic.scores() != null ? ic.scores() : scorer.score(stored, pack, flags));
            Review review = ic.review() == null ? Review.pending() : ic.review();
            ReviewStatus status = options.asSeed() ? ReviewStatus.APPROVED : review.status();
            if (status != ReviewStatus.PENDING) db.reviews().setStatus(c.id(), status, ACTOR);
            if (review.seed()) db.reviews().toggleSeed(c.id(), ACTOR);
            if (review.notes() != null && !review.notes().isBlank()) db.reviews().note(c.id(), review.notes(), ACTOR);
        }
        return new FileOutcome(r.file(), r.format(), r.conversations().size(), imported, already, rekeyed, r.defects());
    }

    /** The conversation under the keys it has in this project; rekeyed collects "old -> new" for the report. */
    private ImportedConversation fitted(ImportedConversation ic, boolean seedFile, Options options, Map<String, String> rekeyed) {
        Scaffolding s = ic.conversation().scaffolding();
        String persona = seedFile && options.persona() != null ? options.persona()
                : unspecified(s.personaKey()) && options.persona() != null ? options.persona()
                : personaByArchetype(s.personaKey()).orElse(s.personaKey());
        String arc = unspecified(s.arcKey()) && options.arc() != null ? options.arc() : s.arcKey();
        String topic = unspecified(s.topicKey()) && options.topic() != null ? options.topic() : s.topicKey();
        note(rekeyed, "persona", s.personaKey(), persona);
        note(rekeyed, "arc", s.arcKey(), arc);
        note(rekeyed, "topic", s.topicKey(), topic);
        if (persona.equals(s.personaKey()) && arc.equals(s.arcKey()) && topic.equals(s.topicKey())) return ic;
        return ic.rekeyed(persona, arc, topic);
    }

    private static void note(Map<String, String> rekeyed, String what, String from, String to) {
        if (!from.equals(to)) rekeyed.put(what + " " + from, to);
    }

    private static boolean unspecified(String key) {
        return key == null || key.equals(Importer.UNSPECIFIED);
    }

    /** The pack's persona for a key the pack does not define but exactly one persona has as its archetype. */
    private Optional<String> personaByArchetype(String key) {
        if (key == null || pack.persona(key).isPresent()) return Optional.empty();
        List<Persona> matches = pack.personas().stream().filter(p -> key.equals(p.archetype())).toList();
        return matches.size() == 1 ? Optional.of(matches.getFirst().key()) : Optional.empty();
    }

    /** "persona jennifer_martinez -> anxious_planner, arc unspecified -> confusion_to_clarity" */
    public static String describe(Map<String, String> rekeyed) {
        return rekeyed.entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue()).collect(Collectors.joining(", "));
    }
}

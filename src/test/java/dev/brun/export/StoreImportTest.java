package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Review;
import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.conversation.Valence;
import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.store.ConversationFilter;
import dev.brun.store.Database;
import dev.brun.store.StoredConversation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreImportTest {
    @TempDir Path tmp;
    private Database db;
    private Pack pack;

    @BeforeEach
    void open() {
        db = Database.openSqlite(tmp.resolve("brun.db"));
        pack = PackLoader.loadBuiltin("financial-planning");
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Conversation conversation(String id, String persona, String phase) {
        return new Conversation(id, "imported:" + id, new Scaffolding(persona, "confusion_to_clarity", "long_term_care", 0, phase),
                "context", "outcome", List.of(
                Turn.user(0, "I keep putting off long-term care planning.", new Emotion("confusion", null, 0.7, 0.9, Valence.NEGATIVE)),
                Turn.assistant(1, "Many people do. Would it help to walk through what these policies cover?", "confusion_expression", null, List.of())),
                Source.IMPORTED, null, null);
    }

    private static Importer.ImportResult result(ImportFormat format, ImportedConversation... conversations) {
        return new Importer.ImportResult(Path.of("file.json"), format, List.of(conversations), new DefectReport(Path.of("file.json"), Map.of()));
    }

    private long count() {
        return db.conversations().count(ConversationFilter.all());
    }

    @Test
    void aFailureHalfWayRollsBackEveryConversationOfTheImport() {
        ImportedConversation good = new ImportedConversation(conversation("a", "anxious_planner", "seed"),
                new Scores(4, 4, 4, 4, 4, "imported", Map.of()), new Review(ReviewStatus.APPROVED, true, "fine", null, null));
        // phase is NOT NULL in the schema: the second insert fails after the first one and its score and review went in.
        ImportedConversation broken = new ImportedConversation(conversation("b", "anxious_planner", null), null, Review.pending());

        assertThatThrownBy(() -> new StoreImport(db, pack).store(List.of(result(ImportFormat.V4_JSON, good, broken)),
                StoreImport.Options.defaults())).isInstanceOf(RuntimeException.class);

        assertThat(count()).isZero();
        assertThat(db.quality().scores("a")).isEmpty();
        assertThat(db.reviews().actions("a")).isEmpty();
    }

    @Test
    void storesScoresReviewAndSeedMarkAndSkipsIdsAlreadyStored() {
        ImportedConversation c = new ImportedConversation(conversation("a", "anxious_planner", "seed"),
                new Scores(4, 3, 5, 4, 4, "imported", Map.of()), new Review(ReviewStatus.APPROVED, true, "model answer", null, null));
        StoreImport store = new StoreImport(db, pack);

        StoreImport.Outcome first = store.store(List.of(result(ImportFormat.V4_JSON, c)), StoreImport.Options.defaults());
        StoreImport.Outcome second = store.store(List.of(result(ImportFormat.V4_JSON, c)), StoreImport.Options.defaults());

        assertThat(first.imported()).isEqualTo(1);
        assertThat(first.files().getFirst().rekeyed()).as("the pack's persona keys are the archetypes").isEmpty();
        assertThat(second.imported()).isZero();
        assertThat(second.alreadyStored()).isEqualTo(1);
        StoredConversation s = db.conversations().find("a").orElseThrow();
        assertThat(s.conversation().scaffolding().personaKey()).isEqualTo("anxious_planner");
        assertThat(s.conversation().unitKey()).as("imported conversations belong to no planned unit").isNull();
        assertThat(s.scores().orElseThrow().clarity()).isEqualTo(3);
        assertThat(s.review().status()).isEqualTo(ReviewStatus.APPROVED);
        assertThat(s.review().seed()).isTrue();
        assertThat(s.review().notes()).isEqualTo("model answer");
        assertThat(s.review().reviewer()).isEqualTo(StoreImport.ACTOR);
    }

    @Test
    void givenKeysFileSeedConversationsAndOnlyFillMissingKeysElsewhere() {
        ImportedConversation seed = new ImportedConversation(new Conversation("s", null,
                new Scaffolding("overwhelmed_avoider", Importer.UNSPECIFIED, Importer.UNSPECIFIED, 0, "seed"), null, null,
                conversation("x", "p", "seed").turns(), Source.IMPORTED, null, null), null, null);
        ImportedConversation named = new ImportedConversation(conversation("n", "pragmatic_optimist", "seed"), null, null);
        var options = new StoreImport.Options(true, "anxious_planner", "shame_to_acceptance", "student_loan_payoff");

        new StoreImport(db, pack).store(List.of(result(ImportFormat.SEED, seed), result(ImportFormat.V4_JSON, named)), options);

        Scaffolding s = db.conversations().find("s").orElseThrow().conversation().scaffolding();
        assertThat(List.of(s.personaKey(), s.arcKey(), s.topicKey())).containsExactly("anxious_planner", "shame_to_acceptance", "student_loan_payoff");
        Scaffolding n = db.conversations().find("n").orElseThrow().conversation().scaffolding();
        assertThat(List.of(n.personaKey(), n.arcKey(), n.topicKey())).containsExactly("pragmatic_optimist", "confusion_to_clarity", "long_term_care");
        assertThat(db.reviews().approvedSeeds(null, null)).containsExactlyInAnyOrder("s", "n");
    }

    @Test
    void theExportSourcePagesThroughEveryConversationOncePerPassInIdOrder() {
        for (String id : List.of("e", "a", "d", "c", "b"))
            db.conversations().insertImported(new Conversation(id, null, conversation(id, "pragmatic_optimist", "seed").scaffolding(), null, null,
                    conversation(id, "pragmatic_optimist", "seed").turns(), Source.IMPORTED, null, null));
        StoreExportSource source = new StoreExportSource(db, 2);

        List<String> first, second;
        try (Stream<ExportItem> pass = source.get()) {
            first = pass.map(i -> i.conversation().id()).toList();
        }
        try (Stream<ExportItem> pass = source.get()) {
            second = new ArrayList<>(pass.map(i -> i.conversation().id()).toList());
        }

        assertThat(first).containsExactly("a", "b", "c", "d", "e");
        assertThat(second).isEqualTo(first);
        try (Stream<ExportItem> pass = new StoreExportSource(db, 5).get()) {
            assertThat(pass.count()).as("a last page exactly full").isEqualTo(5);
        }
    }
}

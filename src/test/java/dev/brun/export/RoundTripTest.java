package dev.brun.export;

import dev.brun.conversation.Conversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTripTest {
    @TempDir Path dir;

    private List<ImportedConversation> importReferenceFiles(Importer importer) {
        List<Path> files = new ArrayList<>();
        files.add(TestPacks.REFERENCE.resolve("training-files/sample-18-conversations.json"));
        for (int i = 1; i <= 6; i++) files.add(TestPacks.REFERENCE.resolve("seed-conversations/convo-0" + i + ".json"));
        // Seed files name no arc or topic: file them under the pack's seed arc, as brun import --arc/--topic would.
        return importer.readAll(files).stream().flatMap(r -> r.conversations().stream()
                .map(c -> r.format() == ImportFormat.SEED ? c.rekeyed(null, TestPacks.SEED_ARC, "emergency_fund") : c)).toList();
    }

    @Test
    void importExportImportKeepsConversationsTurnsScaffoldingScoresAndReviews() {
        var pack = TestPacks.financialPlanning();
        Importer importer = new Importer(pack);
        List<ImportedConversation> first = importReferenceFiles(importer);
        assertThat(first).hasSize(18 + 6);
        assertThat(first.getFirst().conversation().turns()).hasSize(10);

        ExportSettings settings = ExportSettings.defaults(dir, TestPacks.SYSTEM_PROMPT, "test")
                .withFormats(EnumSet.of(ExportFormat.V4_JSON, ExportFormat.V4_JSONL)).withSelection(Selection.ALL, null);
        ExportResult result = new Exporter(pack, settings).export(first.stream().map(ImportedConversation::toExportItem).toList());
        assertThat(result.conversations()).isEqualTo(24);
        assertThat(result.excludedCount()).isZero();

        for (String file : List.of(Exporter.V4_JSON, Exporter.V4_JSONL)) {
            Importer.ImportResult again = importer.read(dir.resolve(file));
            assertThat(again.conversations()).as(file).hasSize(first.size());
            Map<String, ImportedConversation> byId = again.conversations().stream()
                    .collect(Collectors.toMap(c -> c.conversation().id(), Function.identity()));
            for (ImportedConversation before : first) {
                ImportedConversation after = byId.get(before.conversation().id());
                assertThat(after).as(file + " " + before.conversation().id()).isNotNull();
                Conversation a = after.conversation(), b = before.conversation();
                assertThat(a.turns()).as(file).isEqualTo(b.turns());
                assertThat(a.scaffolding()).isEqualTo(b.scaffolding());
                assertThat(a.sessionContext()).isEqualTo(b.sessionContext());
                assertThat(a.expectedOutcome()).isEqualTo(b.expectedOutcome());
                assertThat(after.review().status()).isEqualTo(before.review().status());
                assertThat(after.review().seed()).isEqualTo(before.review().seed());
                assertThat(after.review().notes()).isEqualTo(before.review().notes());
                assertThat(after.scores().overall()).isEqualTo(before.scores().overall());
                assertThat(a).as(file).isEqualTo(b);
            }
            // The export fixed what the reference file got wrong, and fits the pack's schema.
            assertThat(again.defects().count(DefectKind.SCHEMA_VIOLATION)).as(again.defects().lines().toString()).isZero();
            assertThat(again.defects().count(DefectKind.NULL_TARGET)).isZero();
            assertThat(again.defects().count(DefectKind.DUPLICATE_PAIR_ID)).isZero();
            assertThat(again.defects().count(DefectKind.DUPLICATED_HISTORY_TURN)).isZero();
        }
    }

    @Test
    void generatedConversationsSurviveTheRoundTripUnchanged() {
        var pack = TestPacks.financialPlanning();
        List<ExportItem> items = TestItems.grid(2);
        new Exporter(pack, ExportSettings.defaults(dir, TestPacks.SYSTEM_PROMPT, "test").withFormats(EnumSet.of(ExportFormat.V4_JSON)))
                .export(items);
        Importer.ImportResult back = new Importer(pack).read(dir.resolve(Exporter.V4_JSON));
        Map<String, ImportedConversation> byId = back.conversations().stream().collect(Collectors.toMap(c -> c.conversation().id(), Function.identity()));
        assertThat(byId).hasSize(items.size());
        for (ExportItem item : items) {
            ImportedConversation after = byId.get(item.conversation().id());
            assertThat(after.conversation().turns()).isEqualTo(item.conversation().turns());
            assertThat(after.conversation().scaffolding()).isEqualTo(item.conversation().scaffolding());
            assertThat(after.scores().overall()).isEqualTo(item.scores().overall());
            assertThat(after.scores().method()).isEqualTo(item.scores().method());
            assertThat(after.review().seed()).isEqualTo(item.review().seed());
        }
        assertThat(back.defects().count(DefectKind.SCHEMA_VIOLATION)).isZero();
        assertThat(back.defects().clean()).as(back.defects().lines().toString()).isTrue();
    }
}

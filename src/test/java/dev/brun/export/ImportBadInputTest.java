package dev.brun.export;

import dev.brun.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Files with structural errors are rejected whole, saying where and why. */
class ImportBadInputTest {
    private static final Path SAMPLE = TestPacks.REFERENCE.resolve("training-files/sample-18-conversations.json");
    private static final Path SEED = TestPacks.REFERENCE.resolve("seed-conversations/convo-01.json");
    @TempDir Path dir;

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private String sample() throws Exception { return Files.readString(SAMPLE, StandardCharsets.UTF_8); }

    private final Importer importer = new Importer(TestPacks.financialPlanning());

    @Test
    void truncatedJsonIsRejectedWithItsPosition() throws Exception {
        String text = sample();
        Path file = write("truncated.json", text.substring(0, text.length() / 2));
        assertThatThrownBy(() -> importer.read(file)).isInstanceOf(ImportException.class).isInstanceOf(BadInputException.class)
                .hasMessageContaining("truncated.json").hasMessageContaining("truncated JSON").hasMessageContaining("line ")
                .hasMessageContaining("nothing was imported");
    }

    @Test
    void wrongFormatSpecIsRejectedWithItsPath() throws Exception {
        Path file = write("v3.json", sample().replaceFirst("\"brightrun-lora-v4\"", "\"brightrun-lora-v3\""));
        assertThatThrownBy(() -> importer.read(file)).isInstanceOf(ImportException.class)
                .hasMessageContaining("$.training_file_metadata.format_spec").hasMessageContaining("'brightrun-lora-v3'")
                .hasMessageContaining("expected 'brightrun-lora-v4'");
    }

    @Test
    void wrongTypesAreRejectedWithTheJsonPath() throws Exception {
        Path file = write("types.json", sample().replaceFirst("\"turn_number\": 1,", "\"turn_number\": \"one\","));
        assertThatThrownBy(() -> importer.read(file)).isInstanceOf(ImportException.class)
                .hasMessageContaining("$.conversations[0].training_pairs[0].turn_number").hasMessageContaining("expected an integer, found a string");
        Path jsonl = write("types.jsonl", Files.readString(TestPacks.REFERENCE.resolve("formats/c-alpha-build_v3.4_emotional-dataset-full-JSON-format_v4.jsonl"))
                .replaceFirst("\"current_user_input\":\"", "\"current_user_input\":42,\"x\":\""));
        assertThatThrownBy(() -> importer.read(jsonl)).isInstanceOf(ImportException.class)
                .hasMessageContaining("line 2").hasMessageContaining("current_user_input").hasMessageContaining("expected a string, found a number");
    }

    @Test
    void nonUtf8BytesAreRejectedWithTheirLine() throws Exception {
        byte[] good = Files.readAllBytes(SEED);
        byte[] bad = good.clone();
        int at = new String(good, StandardCharsets.UTF_8).indexOf("I got promoted");
        bad[at] = (byte) 0xC3;
        bad[at + 1] = (byte) 0x28;
        Path file = dir.resolve("latin.json");
        Files.write(file, bad);
        long line = new String(good, 0, at, StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count() + 1;
        assertThatThrownBy(() -> importer.read(file)).isInstanceOf(ImportException.class)
                .hasMessageContaining("not UTF-8").hasMessageContaining("line " + line + ",").hasMessageContaining("0xC3");
    }

    @Test
    void filesOverTheSizeLimitAreRejectedBeforeTheyAreRead() throws Exception {
        Importer small = new Importer(1024, TestPacks.financialPlanning());
        assertThatThrownBy(() -> small.read(SAMPLE)).isInstanceOf(ImportException.class)
                .hasMessageContaining("over the import limit of 1024 bytes").hasMessageContaining("split it");
        // A sparse 1 GB file: rejected on its size alone, without reading a gigabyte.
        Path huge = dir.resolve("huge.json");
        try (var raf = new java.io.RandomAccessFile(huge.toFile(), "rw")) { raf.setLength(1L << 30); }
        long start = System.nanoTime();
        assertThatThrownBy(() -> importer.read(huge)).isInstanceOf(ImportException.class).hasMessageContaining("1024.0 MB")
                .hasMessageContaining("512.0 MB");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
    }

    @Test
    void duplicateConversationIdsAreRejectedInAFileAndAcrossFiles() throws Exception {
        String text = sample();
        Path file = write("dupes.json", text.replace("9c6c47cc-527e-4f41-b055-15e44ccc236b", "24af15f9-2f9f-451a-8dac-323529d07163"));
        assertThatThrownBy(() -> importer.read(file)).isInstanceOf(ImportException.class)
                .hasMessageContaining("duplicate conversation id 24af15f9-2f9f-451a-8dac-323529d07163").hasMessageContaining("also at $.conversations[0]");
        Path copy = dir.resolve("convo-01-copy.json");
        Files.copy(SEED, copy);
        assertThatThrownBy(() -> importer.readAll(List.of(SEED, copy))).isInstanceOf(dev.brun.BadInputException.class)
                .hasMessageContaining("duplicate conversation id").hasMessageContaining("fp_marcus_002");
    }

    @Test
    void unknownShapesAndEmptyFilesAreRejected() throws Exception {
        assertThatThrownBy(() -> importer.read(write("other.json", "{\"hello\": 1}"))).isInstanceOf(ImportException.class)
                .hasMessageContaining("not a brightrun-lora-v4 file");
        assertThatThrownBy(() -> importer.read(write("empty.json", ""))).isInstanceOf(ImportException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> importer.read(dir.resolve("missing.json"))).isInstanceOf(ImportException.class).hasMessageContaining("no such file");
        String jsonl = Files.readString(TestPacks.REFERENCE.resolve("formats/c-alpha-build_v3.4_emotional-dataset-full-JSON-format_v4.jsonl"));
        String[] lines = jsonl.split("\n");
        Path cut = write("cut.jsonl", lines[0] + "\n" + lines[1].substring(0, lines[1].length() / 2) + "\n");
        assertThatThrownBy(() -> importer.read(cut)).isInstanceOf(ImportException.class).hasMessageContaining("line 2")
                .hasMessageContaining("truncated JSON line");
    }

    @Test
    void theReferenceJsonlImportsIntoConversationsWithoutDuplicatedTurns() {
        Importer.ImportResult r = importer.read(TestPacks.REFERENCE.resolve("formats/c-alpha-build_v3.4_emotional-dataset-full-JSON-format_v4.jsonl"));
        assertThat(r.format()).isEqualTo(ImportFormat.V4_JSONL);
        assertThat(r.conversations()).hasSize(3);
        for (ImportedConversation c : r.conversations()) {
            var turns = c.conversation().turns();
            assertThat(turns.getFirst().isUser()).isTrue();
            assertThat(turns.getLast().isAssistant()).isTrue();
            for (int i = 1; i < turns.size(); i++) assertThat(turns.get(i).role()).isNotEqualTo(turns.get(i - 1).role());
            assertThat(c.conversation().source()).isEqualTo(dev.brun.conversation.Source.IMPORTED);
        }
    }
}

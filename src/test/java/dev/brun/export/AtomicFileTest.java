package dev.brun.export;

import dev.brun.WorkFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFileTest {
    @TempDir Path dir;

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) { return s.map(p -> p.getFileName().toString()).sorted().toList(); }
    }

    @Test
    void aWriterThatThrowsMidwayLeavesNoFileAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("train.jsonl");
        assertThatThrownBy(() -> AtomicFile.write(dir, target, out -> {
            out.write("{\"messages\":[]}\n".repeat(10_000).getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(WorkFailedException.class).hasMessageContaining("disk full").hasMessageContaining("train.jsonl");
        assertThat(target).doesNotExist();
        assertThat(names()).isEmpty();
    }

    @Test
    void writtenFilesAreReadableByOthersNotOwnerOnly() throws Exception {
        Path target = dir.resolve("train.jsonl");
        AtomicFile.write(dir, target, out -> out.write('x'));
        var permissions = Files.getPosixFilePermissions(target);
        assertThat(permissions).contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
    }

    @Test
    void aFailedRewriteKeepsThePreviousCompleteFile() throws Exception {
        Path target = dir.resolve("manifest.json");
        WrittenFile first = AtomicFile.write(dir, target, out -> out.write("{\"ok\":true}".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> AtomicFile.write(dir, target, out -> {
            out.write("{\"half".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("crash");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(target)).isEqualTo("{\"ok\":true}");
        assertThat(names()).containsExactly("manifest.json");
        assertThat(first.bytes()).isEqualTo(11);
        assertThat(first.sha256()).hasSize(64);
    }

    @Test
    void anExportWhoseWriterFailsLeavesNoPartialTrainingFile() throws Exception {
        // An item whose conversation breaks during the second pass (first pass passes): simulates a crash mid-export.
        List<ExportItem> good = TestItems.grid(1);
        Iterable<ExportItem> failing = () -> new java.util.Iterator<>() {
            private int calls;
            private final java.util.Iterator<ExportItem> it = good.iterator();
            private int passes = Pass.next();
            public boolean hasNext() { return it.hasNext(); }
            public ExportItem next() {
                if (passes > 0 && ++calls == 20) throw new IllegalStateException("database connection lost");
                return it.next();
            }
        };
        Pass.reset();
        ExportSettings settings = ExportSettings.defaults(dir, TestPacks.SYSTEM_PROMPT, "test").withFormats(ExportFormat.parse("v4-json"));
        assertThatThrownBy(() -> new Exporter(TestPacks.financialPlanning(), settings).export(failing))
                .hasMessageContaining("database connection lost");
        assertThat(dir.resolve(Exporter.V4_JSON)).doesNotExist();
        assertThat(dir.resolve(Exporter.MANIFEST)).doesNotExist();
        assertThat(names()).noneMatch(n -> n.endsWith(".part"));
    }

    /** Counts passes over the items, so the failure hits a writing pass, not the counting pass. */
    private static final class Pass {
        private static int n;
        static void reset() { n = 0; }
        static int next() { return n++; }
    }
}

package dev.brun.cli;

import dev.brun.store.ConversationFilter;
import dev.brun.store.ConversationRow;
import dev.brun.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateSampleTest {
    @Test
    void sampleOfFifteenCoversEveryPersonaArcCellOnce(@TempDir Path tmp) {
        Path dir = tmp.resolve("p");
        assertThat(CliRun.of("init", dir.toString()).exitCode()).isZero();
        assertThat(TestProject.run(dir, "plan").exitCode()).isZero();

        CliRun run = TestProject.run(dir, "generate", "--sample", "15", "--concurrency", "4");
        assertThat(run.exitCode()).as(run.err()).isZero();

        try (Database db = TestProject.open(dir)) {
            List<ConversationRow> rows = db.conversations().list(ConversationFilter.all(), 0, 100).items();
            assertThat(rows).hasSize(15);
            Set<String> cells = new HashSet<>();
            Set<String> topics = new HashSet<>();
            for (ConversationRow r : rows) {
                cells.add(r.scaffolding().personaKey() + "|" + r.scaffolding().arcKey());
                topics.add(r.scaffolding().topicKey());
            }
            assertThat(cells).as("3 personas x 5 arcs").hasSize(15);
            assertThat(topics).as("topics spread across the cells too").hasSize(15);
        }
    }

    @Test
    void sampleRefusesLimitAndBatch(@TempDir Path tmp) {
        Path dir = tmp.resolve("p");
        assertThat(CliRun.of("init", dir.toString()).exitCode()).isZero();
        assertThat(TestProject.run(dir, "generate", "--sample", "3", "--limit", "3").exitCode()).isEqualTo(2);
        assertThat(TestProject.run(dir, "generate", "--sample", "3", "--batch").err()).contains("--sample");
    }
}

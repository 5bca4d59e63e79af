package dev.brun.cli;

import dev.brun.conversation.ReviewStatus;
import dev.brun.store.ConversationFilter;
import dev.brun.store.ConversationRow;
import dev.brun.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExpandTiersTest {
    @Test
    void tiersMoveVariationsAwayFromACombinationWhoseSeedsWereRejected(@TempDir Path tmp) {
        Path dir = tmp.resolve("p");
        assertThat(CliRun.of("init", dir.toString()).exitCode()).isZero();
        assertThat(TestProject.run(dir, "plan", "--target", "1500").exitCode()).isZero();
        assertThat(TestProject.run(dir, "generate", "--sample", "15", "--concurrency", "4").exitCode()).isZero();

        String rejected;
        try (Database db = TestProject.open(dir)) {
            List<ConversationRow> rows = db.conversations().list(ConversationFilter.all(), 0, 100).items();
            assertThat(rows).hasSize(15);
            ConversationRow bad = rows.get(3);
            rejected = bad.scaffolding().personaKey() + "|" + bad.scaffolding().arcKey() + "|" + bad.scaffolding().topicKey();
            for (ConversationRow r : rows) {
                if (r == bad) db.reviews().setStatus(r.id(), ReviewStatus.REJECTED, "test");
                else {
                    db.reviews().setStatus(r.id(), ReviewStatus.APPROVED, "test");
                    db.reviews().toggleSeed(r.id(), "test");
                }
            }
        }

        CliRun dry = TestProject.run(dir, "expand", "--per-combination", "auto", "--dry-run", "--json");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        JsonNode doc = TestProject.json(dry.out());
        assertThat(doc.at("/tier_counts/rejected").asInt()).isEqualTo(1);
        JsonNode rejectedRow = null;
        int moreThanEven = 0;
        for (JsonNode c : doc.get("changed")) {
            if (c.get("combination").asString().equals(rejected)) rejectedRow = c;
            else if (c.get("variations").asInt() > c.get("even_share").asInt()) moreThanEven++;
        }
        assertThat(rejectedRow).as("the rejected combination is listed as changed").isNotNull();
        assertThat(rejectedRow.get("tier").asString()).isEqualTo("rejected");
        assertThat(rejectedRow.get("variations").asInt()).isZero();
        assertThat(rejectedRow.get("even_share").asInt()).isPositive();
        assertThat(moreThanEven).as("the 14 approved combinations take more than an even share").isEqualTo(14);

        CliRun run = TestProject.run(dir, "expand", "--per-combination", "auto");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("rejected").contains("left for fill");
        try (Database db = TestProject.open(dir)) {
            assertThat(db.units().pending("expansion")).isNotEmpty()
                    .noneMatch(u -> (u.personaKey() + "|" + u.arcKey() + "|" + u.topicKey()).equals(rejected));
        }
    }
}

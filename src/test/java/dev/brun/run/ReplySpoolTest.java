package dev.brun.run;

import dev.brun.llm.GenerationResult;
import dev.brun.llm.StopReason;
import dev.brun.llm.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** The spool file: one synced JSON line per kept reply, read back whole; a line cut short by a crash is skipped. */
class ReplySpoolTest {
    @TempDir Path dir;

    @Test
    void aKeptReplyReadsBackWithEverythingNeededToStoreIt() throws Exception {
        ReplySpool spool = ReplySpool.in(dir);
        assertThat(spool.isEmpty()).isTrue();
        GenerationResult r = new GenerationResult(JsonMapper.builder().build().readTree("{\"turns\": [1, 2]}"), "",
                StopReason.TOOL_USE, new Usage(1200, 3400, 5000, 800, 800), "req_42", 1234, 3, null);
        spool.append(new ReplySpool.Spooled("unit-a", "claude-sonnet-4-5", 0.75, 0.0612, r));
        // a crash in the middle of the next append leaves half a line
        Files.writeString(spool.file(), "{\"unit_key\": \"unit-b\", \"mod", StandardOpenOption.APPEND);

        var kept = spool.read();

        assertThat(kept).singleElement().satisfies(s -> {
            assertThat(s.unitKey()).isEqualTo("unit-a");
            assertThat(s.model()).isEqualTo("claude-sonnet-4-5");
            assertThat(s.temperature()).isEqualTo(0.75);
            assertThat(s.costUsd()).isEqualTo(0.0612);
            assertThat(s.result().toolInput().toString()).isEqualTo("{\"turns\":[1,2]}");
            assertThat(s.result().stopReason()).isEqualTo(StopReason.TOOL_USE);
            assertThat(s.result().usage()).isEqualTo(new Usage(1200, 3400, 5000, 800, 800));
            assertThat(s.result().requestId()).isEqualTo("req_42");
            assertThat(s.result().attempts()).isEqualTo(3);
        });
        assertThat(Files.readString(spool.file()).lines().findFirst().orElseThrow()).startsWith("{\"unit_key\":\"unit-a\"");
        spool.clear();
        assertThat(spool.isEmpty()).isTrue();
    }
}

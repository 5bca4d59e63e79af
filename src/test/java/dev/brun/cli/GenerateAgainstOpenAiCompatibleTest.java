package dev.brun.cli;

import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.RecordedRequest;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.run.ProviderConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * brun generate --provider openai end to end: the real OpenAI-compatible client against the simulated
 * server's /v1/chat/completions twin (as a vLLM or Ollama server would be reached, without a key), through
 * the engine, the checks and the store.
 */
class GenerateAgainstOpenAiCompatibleTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path dir;
    private SimulatedProvider sim;

    @BeforeEach
    void start() {
        sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT.withLatency(Duration.ZERO, Duration.ZERO),
                dev.brun.run.SimulatedUnits.of(dev.brun.pack.PackLoader.loadBuiltin("financial-planning")));
        System.setProperty(ProviderConnection.OPENAI_BASE_URL_PROPERTY, sim.start().resolve("/v1").toString());
    }

    @AfterEach
    void stop() {
        System.clearProperty(ProviderConnection.OPENAI_BASE_URL_PROPERTY);
        sim.close();
    }

    @Test
    void generatesThroughAnOpenAiCompatibleServerWithTheContractAsResponseFormat() throws Exception {
        String project = dir.resolve("p").toString();
        assertThat(CliRun.of("init", project).exitCode()).isZero();
        assertThat(CliRun.of("plan", "--project", project, "--only", "persona=pragmatic_optimist,arc=confusion_to_clarity").exitCode()).isZero();

        CliRun run = CliRun.of("generate", "--project", project, "--provider", "openai", "--limit", "5", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = JSON.readTree(run.out());
        assertThat(summary.path("provider").asString()).isEqualTo("openai");
        assertThat(summary.path("done").asInt()).isEqualTo(5);
        assertThat(summary.path("failed").asInt()).isZero();

        List<RecordedRequest> sent = sim.server().requests(FakeProviderServer.CHAT_COMPLETIONS);
        assertThat(sent).hasSize(5);
        assertThat(sim.server().requests(FakeProviderServer.MESSAGES)).isEmpty();
        JsonNode body = sent.getFirst().json();
        assertThat(body.path("response_format").path("type").asString()).isEqualTo("json_schema");
        assertThat(body.path("response_format").path("json_schema").path("schema").path("properties").has("turns")).isTrue();
        assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(body.has("top_p")).as("never temperature and top_p together").isFalse();
        if (System.getenv("OPENAI_API_KEY") == null)
            assertThat(sent.getFirst().headers().keySet()).as("no key for a local server: no Authorization header")
                    .noneMatch(h -> h.equalsIgnoreCase("authorization"));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + Path.of(project, "brun.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT provider, COUNT(*) FROM conversations GROUP BY provider")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) rows.add(rs.getString(1) + "=" + rs.getInt(2));
            assertThat(rows).containsExactly("openai=5");
        }
    }
}

package dev.brun.llm;

import dev.brun.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderSettingsTest {
    @Test
    void readsBaseUrlsAndKeysFromTheEnvironment() {
        ProviderSettings s = ProviderSettings.fromEnvironment(Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:9999",
                "ANTHROPIC_API_KEY", "sk-ant-env", "OPENAI_BASE_URL", "http://localhost:11434/v1"), null);
        assertThat(s.anthropicBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:9999"));
        assertThat(s.anthropicApiKey()).contains("sk-ant-env");
        assertThat(s.openAiBaseUrl()).isEqualTo(URI.create("http://localhost:11434/v1"));
        assertThat(s.openAiApiKey()).isEmpty();
        assertThat(s.toString()).doesNotContain("sk-ant-env");
    }

    @Test
    void defaultsToTheRealProviders() {
        ProviderSettings s = ProviderSettings.fromEnvironment(Map.of(), null);
        assertThat(s.anthropicBaseUrl()).isEqualTo(ProviderSettings.ANTHROPIC_DEFAULT);
        assertThat(s.openAiBaseUrl()).isEqualTo(ProviderSettings.OPENAI_DEFAULT);
        assertThatThrownBy(s::requireAnthropicKey).isInstanceOf(BadInputException.class).hasMessageContaining("ANTHROPIC_API_KEY");
    }

    @Test
    void readsABareKeyFileOrNamedKeysAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
        Path bare = Files.writeString(dir.resolve("bare.key"), "sk-ant-file\n");
        assertThat(ProviderSettings.fromEnvironment(Map.of(), bare).anthropicApiKey()).contains("sk-ant-file");
        Path named = Files.writeString(dir.resolve("keys.env"), "# keys\nANTHROPIC_API_KEY=\"sk-ant-named\"\nOPENAI_API_KEY=sk-oa\n");
        ProviderSettings s = ProviderSettings.fromEnvironment(Map.of("ANTHROPIC_API_KEY", "sk-ant-env"), named);
        assertThat(s.anthropicApiKey()).contains("sk-ant-env");
        assertThat(s.openAiApiKey()).contains("sk-oa");
        assertThat(ProviderSettings.fromEnvironment(Map.of(), dir.resolve("missing.key")).anthropicApiKey()).isEmpty();
    }

    @Test
    void rejectsABaseUrlThatIsNotAUrl() {
        assertThatThrownBy(() -> ProviderSettings.fromEnvironment(Map.of("ANTHROPIC_BASE_URL", "localhost"), null))
                .isInstanceOf(BadInputException.class).hasMessageContaining("ANTHROPIC_BASE_URL");
    }
}

package dev.brun.export;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** train/axolotl.yaml and train/trl_sft.py name the files the export wrote; the dataset card carries a license. */
class TrainerConfigsTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir Path dir;

    private ExportSettings settings(Path out, String formats) {
        return ExportSettings.defaults(out, TestPacks.SYSTEM_PROMPT, "0.1.0-test").withFormats(ExportFormat.parse(formats))
                .withSplit(0.7, 42);
    }

    private ExportResult export(ExportSettings settings) {
        return new Exporter(TestPacks.financialPlanning(), settings).export(TestItems.grid(2));
    }

    @Test
    void theAxolotlConfigTrainsOnTheWrittenMessagesFilesWithAssistantOnlyLossAndTheTargetModel() throws Exception {
        Path out = dir.resolve("all");
        ExportResult result = export(settings(out, "all").withTargetModel("mistralai/Mistral-7B-Instruct-v0.1", "cc-by-4.0")
                .withMaxTokens(8192));
        assertThat(result.files()).extracting(WrittenFile::path).contains("train/axolotl.yaml", "train/trl_sft.py");

        JsonNode axolotl = YAML.readTree(out.resolve("train/axolotl.yaml").toFile());
        assertThat(axolotl.get("base_model").asString()).isEqualTo("mistralai/Mistral-7B-Instruct-v0.1");
        assertThat(axolotl.get("chat_template").asString()).isEqualTo("tokenizer_default");
        JsonNode train = axolotl.get("datasets").get(0);
        assertThat(train.get("type").asString()).isEqualTo("chat_template");
        assertThat(train.get("field_messages").asString()).isEqualTo("messages");
        assertThat(train.at("/roles_to_train/0").asString()).isEqualTo("assistant");
        for (JsonNode d : List.of(train, axolotl.at("/test_datasets/0"))) {
            Path file = out.resolve(d.get("path").asString());
            assertThat(file).exists();
            // The field it names is the field every line of that file has.
            assertThat(JSON.readTree(Files.readAllLines(file).getFirst()).has(d.get("field_messages").asString())).isTrue();
        }
        assertThat(train.get("path").asString()).isEqualTo("hf/train.jsonl");
        assertThat(axolotl.get("sequence_len").asInt()).isEqualTo(8192);
        assertThat(axolotl.get("adapter").asString()).isEqualTo("lora");
        assertThat(axolotl.get("lora_r").asInt()).isEqualTo(16);
        assertThat(axolotl.get("lora_alpha").asInt()).isEqualTo(32);

        String trl = Files.readString(out.resolve("train/trl_sft.py"));
        assertThat(trl).contains("TRAIN = \"hf/train.jsonl\"").contains("VALIDATION = \"hf/validation.jsonl\"")
                .contains("MODEL = \"mistralai/Mistral-7B-Instruct-v0.1\"").contains("assistant_only_loss=True")
                .contains("MAX_LENGTH = 8192").contains("LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05");

        // The manifest lists them with the other files.
        JsonNode manifest = JSON.readTree(out.resolve(Exporter.MANIFEST).toFile());
        assertThat(manifest.get("files").toString()).contains("train/axolotl.yaml").contains("train/trl_sft.py");
    }

    @Test
    void configsFollowTheFormatsWrittenAndTheSplit() throws Exception {
        Path openai = dir.resolve("openai");
        export(settings(openai, "openai").withSplit(1.0, 42));
        JsonNode axolotl = YAML.readTree(openai.resolve("train/axolotl.yaml").toFile());
        assertThat(axolotl.at("/datasets/0/path").asString()).isEqualTo("openai-train.jsonl");
        assertThat(axolotl.has("test_datasets")).isFalse();
        assertThat(Files.readString(openai.resolve("train/trl_sft.py"))).contains("VALIDATION = None")
                .contains("an example: brun.yaml sets no target_model");
        assertThat(axolotl.get("base_model").asString()).isEqualTo(TrainerConfigs.EXAMPLE_MODEL);

        // ShareGPT only: Axolotl maps its fields and roles; no TRL script (its assistant-only loss needs role/content).
        Path share = dir.resolve("sharegpt");
        export(settings(share, "sharegpt"));
        JsonNode s = YAML.readTree(share.resolve("train/axolotl.yaml").toFile()).at("/datasets/0");
        assertThat(s.get("path").asString()).isEqualTo("sharegpt-train.jsonl");
        assertThat(s.get("field_messages").asString()).isEqualTo("conversations");
        assertThat(s.at("/message_property_mappings/role").asString()).isEqualTo("from");
        assertThat(s.at("/roles/assistant/0").asString()).isEqualTo("gpt");
        assertThat(share.resolve("train/trl_sft.py")).doesNotExist();

        // v4 only: nothing for these trainers to read.
        Path v4 = dir.resolve("v4");
        export(settings(v4, "v4-json"));
        assertThat(v4.resolve("train")).doesNotExist();
    }

    @Test
    void theDatasetCardHasTheLicenseFromBrunYamlOrSaysVisiblyThatNoneIsSet() throws Exception {
        Path licensed = dir.resolve("licensed");
        export(settings(licensed, "hf").withTargetModel(null, "cc-by-4.0"));
        String card = Files.readString(licensed.resolve("hf/README.md"));
        String header = card.substring(0, card.indexOf("\n---\n", 4));
        assertThat(YAML.readTree(header.substring(4)).get("license").asString()).isEqualTo("cc-by-4.0");
        assertThat(card).contains("## License\n\ncc-by-4.0").doesNotContain("License not set");

        Path unset = dir.resolve("unset");
        export(settings(unset, "hf"));
        String bare = Files.readString(unset.resolve("hf/README.md"));
        assertThat(YAML.readTree(bare.substring(4, bare.indexOf("\n---\n", 4))).get("license").asString()).isEqualTo("unknown");
        assertThat(bare).contains("**License not set.**").contains("`license: cc-by-4.0`");
    }
}

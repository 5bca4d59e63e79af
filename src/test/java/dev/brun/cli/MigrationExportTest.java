package dev.brun.cli;

import dev.brun.project.PackCopier;
import dev.brun.project.ProjectConfig;
import dev.brun.project.ProjectConfigWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A user migrating from the original platform: everything they bring comes out again in every format. */
class MigrationExportTest {
    @TempDir Path tmp;

    @Test
    void everyImportedConversationIsWrittenInEveryFormatWithTheDefaultPack() throws IOException {
        Path project = tmp.resolve("p");
        var pack = PackCopier.copy("financial-planning", project.resolve("pack"));
        ProjectConfigWriter.write(project, ProjectConfig.defaults(pack));

        List<String> args = new ArrayList<>(List.of("import", TestProject.SAMPLE_18.toString()));
        TestProject.seedFiles().forEach(f -> args.add(f.toString()));
        CliRun imported = TestProject.run(project, args.toArray(String[]::new));
        assertThat(imported.exitCode()).as(imported.err() + imported.out()).isZero();
        assertThat(imported.out()).contains("24 conversations imported");

        Path out = tmp.resolve("out");
        CliRun exported = TestProject.run(project, "export", "--format", "all", "--only", "all", "--out", out.toString());
        assertThat(exported.exitCode()).as(exported.err() + exported.out()).isZero();

        JsonNode v4 = TestProject.json(Files.readString(out.resolve("training-v4.json"), StandardCharsets.UTF_8));
        assertThat(v4.get("conversations").size()).isEqualTo(24);
        // The schema written beside the file admits the arcs and stages the imported conversations record.
        JsonNode schema = TestProject.json(Files.readString(out.resolve("schema.json"), StandardCharsets.UTF_8));
        assertThat(dev.brun.export.PackSchema.violations(schema, v4)).isEmpty();
        assertThat(lines(out.resolve("training-v4.jsonl"))).isEqualTo(1 + v4.get("training_file_metadata").get("total_training_pairs").asInt());
        assertThat(lines(out.resolve("openai-train.jsonl")) + lines(out.resolve("openai-validation.jsonl"))).isEqualTo(24);
        assertThat(lines(out.resolve("sharegpt-train.jsonl")) + lines(out.resolve("sharegpt-validation.jsonl"))).isEqualTo(24);
        assertThat(lines(out.resolve("hf/train.jsonl")) + lines(out.resolve("hf/validation.jsonl"))).isEqualTo(24);
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        try (var l = Files.lines(file, StandardCharsets.UTF_8)) { return l.filter(s -> !s.isBlank()).count(); }
    }
}

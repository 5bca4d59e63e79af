package dev.brun.export;

import dev.brun.pack.Pack;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The Hugging Face dataset card (hf/README.md): a YAML header the Hub reads, then what a person needs to know. */
final class DatasetCard {
    record Summary(int conversations, int pairs, Map<String, Integer> personas, Map<String, Integer> arcs,
                   Map<String, Integer> topics, Set<String> models, Set<Double> temperatures, Map<String, Integer> excluded) {}

    private final Pack pack;
    private final ExportSettings settings;
    private final Summary summary;
    private final int[] perSplit;

    DatasetCard(Pack pack, ExportSettings settings, Summary summary, int[] perSplit) {
        this.pack = pack;
        this.settings = settings;
        this.summary = summary;
        this.perSplit = perSplit.clone();
    }

    /** {model=x, temperature=0.7} as "model x, temperature 0.7". */
    private static String readable(Object value) {
        if (!(value instanceof Map<?, ?> m)) return String.valueOf(value);
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return b.toString();
    }

    String render(Instant now) {
        StringBuilder b = new StringBuilder();
        b.append("---\n");
        // The Hub reads license from here; "unknown" until brun.yaml says, with a note in the card that a person sees.
        b.append("license: ").append(settings.license() == null ? "unknown" : yamlString(settings.license())).append('\n');
        b.append("pretty_name: ").append(yamlString(pack.consultant().displayName() + " - " + pack.name() + " conversations")).append('\n');
        b.append("language:\n- en\n");
        b.append("task_categories:\n- text-generation\n");
        b.append("tags:\n- conversational\n- synthetic\n- fine-tuning\n- brun\n");
        b.append("size_categories:\n- ").append(sizeCategory(summary.conversations())).append('\n');
        b.append("configs:\n- config_name: default\n  data_files:\n");
        for (Split s : Split.values())
            if (perSplit[s.ordinal()] > 0) b.append("  - split: ").append(s.wire()).append("\n    path: ").append(s.wire()).append(".jsonl\n");
        b.append("dataset_info:\n  splits:\n");
        for (Split s : Split.values())
            if (perSplit[s.ordinal()] > 0) b.append("  - name: ").append(s.wire()).append("\n    num_examples: ").append(perSplit[s.ordinal()]).append('\n');
        b.append("---\n\n");

        b.append("# ").append(pack.consultant().displayName()).append(" — multi-turn conversations\n\n");
        b.append("Synthetic multi-turn conversations between clients and ").append(pack.consultant().displayName());
        if (pack.consultant().business() != null) b.append(" (").append(pack.consultant().business()).append(')');
        b.append(", for fine-tuning a chat model to answer in this consultant's voice. ")
                .append("Each line of `train.jsonl` and `validation.jsonl` is one whole conversation in the OpenAI/Hugging Face ")
                .append("`messages` format: ").append(switch (settings.systemMessage()) {
                    case KEEP -> "a system message (the consultant system prompt the fine-tuned model runs with), then ";
                    case FOLD -> "no system message (the consultant system prompt opens the first user message, for chat templates without a system role), ";
                    case DROP -> "no system message (exported without the consultant system prompt), ";
                }).append("alternating user and assistant messages, ending with the assistant.\n\n");
        if (settings.license() == null)
            b.append("> **License not set.** brun.yaml has no `license`, so this card says `license: unknown`. Set one (for example ")
                    .append("`license: cc-by-4.0`) and export again before you publish or share this dataset.\n\n");
        b.append("| | conversations |\n|---|---|\n");
        b.append("| train | ").append(perSplit[0]).append(" |\n| validation | ").append(perSplit[1]).append(" |\n");
        b.append("| total | ").append(summary.conversations()).append(" (").append(summary.pairs()).append(" assistant replies) |\n\n");

        b.append("## How it was made\n\n");
        b.append("Generated with brun ").append(settings.brunVersion()).append(" from the domain pack `").append(pack.name())
                .append("` (hash `").append(pack.shortHash()).append("`) on ").append(now.toString(), 0, 10).append(". ");
        b.append("Every conversation covers one persona × emotional arc × topic combination of the pack; ")
                .append("several variations of a combination may exist.\n\n");
        b.append("- Models: ").append(summary.models().isEmpty() ? "not recorded" : String.join(", ", summary.models())).append('\n');
        b.append("- Temperatures: ").append(summary.temperatures().isEmpty() ? "not recorded" : summary.temperatures().toString()).append('\n');
        if (!settings.generationSettings().isEmpty()) {
            b.append("- Settings per phase:\n");
            new TreeMap<>(settings.generationSettings()).forEach((k, v) -> b.append("  - ").append(k).append(": ").append(readable(v)).append('\n'));
        }
        if (settings.allowSimulated())
            b.append("\nExported with `--allow-simulated`: conversations from brun's simulated provider are canned test data,"
                    + " not model output. Do not train on them.\n");
        b.append('\n');
        b.append("## How it was checked\n\n");
        b.append("Each conversation passed brun's structural checks (user first, strict alternation, non-empty messages, ")
                .append("ends with the consultant), was scored on empathy, clarity, appropriateness and brand voice, and was ")
                .append("screened for truncated replies, persona contradictions and near-duplicates. Selection: `")
                .append(settings.selection().wire()).append('`');
        if (settings.minScore() != null) b.append(", minimum score ").append(settings.minScore());
        b.append(". Examples over ").append(settings.maxTokensPerExample()).append(" estimated tokens were left out.\n\n");
        if (!summary.excluded().isEmpty()) {
            b.append("Excluded conversations:\n\n");
            summary.excluded().forEach((reason, n) -> b.append("- ").append(reason).append(": ").append(n).append('\n'));
            b.append('\n');
        }
        b.append("The split is stratified by combination: all variations of one persona × arc × topic are in the same split, ")
                .append("so validation measures generalisation, not memory (seed ").append(settings.seed()).append(").\n\n");

        table(b, "Persona", summary.personas());
        table(b, "Emotional arc", summary.arcs());
        table(b, "Topic", summary.topics());
        b.append("## License\n\n").append(settings.license() == null ? "Not set (brun.yaml `license`)." : settings.license()).append("\n\n");
        b.append("The data is synthetic: the clients are invented personas, and the replies are model output reviewed ")
                .append("by automated checks").append(" — check a sample yourself before training.\n");
        return b.toString();
    }

    private static void table(StringBuilder b, String title, Map<String, Integer> counts) {
        b.append("## By ").append(title.toLowerCase(java.util.Locale.ROOT)).append("\n\n| ").append(title).append(" | conversations |\n|---|---|\n");
        counts.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        b.append('\n');
    }

    private static String sizeCategory(int n) {
        if (n < 1_000) return "n<1K";
        if (n < 10_000) return "1K<n<10K";
        if (n < 100_000) return "10K<n<100K";
        return "100K<n<1M";
    }

    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

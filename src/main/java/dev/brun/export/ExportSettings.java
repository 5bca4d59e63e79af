package dev.brun.export;

import dev.brun.BadInputException;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What an export writes and how it chooses conversations.
 *
 * @param trainFraction      share of conversations in the train split (0 &lt; f &le; 1)
 * @param seed               makes the split reproducible
 * @param maxTokensPerExample conversations whose estimated tokens (characters / 4, system prompt included) exceed
 *                           this are excluded from every format and counted in the manifest
 * @param systemPrompt       the consultant system prompt the fine-tuned model runs with
 * @param generationSettings settings per phase (model, temperature, ...) for the manifest and the dataset card
 * @param minScore           conversations whose overall score is below this are excluded; null = no minimum
 * @param certification      for a certified export, the sampling plan, its strata's results and bounds, and the
 *                           reviewers, written to the manifest as they are; empty otherwise
 * @param targetModel        the model the data is meant to fine-tune (brun.yaml target_model); null when not set
 * @param license            the data's license for the dataset card (brun.yaml license); null when not set
 * @param systemMessage      what the chat files do with the system prompt (keep, fold into the first user turn, drop)
 * @param promptSource       whose system prompt an imported conversation is exported with
 */
public record ExportSettings(Path outDir, Set<ExportFormat> formats, double trainFraction, long seed,
                             int maxTokensPerExample, String systemPrompt, Map<String, Object> generationSettings,
                             String brunVersion, double totalCostUsd, Selection selection, Double minScore,
                             boolean allowSimulated, Map<String, Object> certification, String targetModel, String license, SystemMessage systemMessage,
                             PromptSource promptSource) {
    public static final double DEFAULT_TRAIN_FRACTION = 0.9;
    public static final int DEFAULT_MAX_TOKENS = 16_384;

    public ExportSettings {
        if (!(trainFraction > 0 && trainFraction <= 1))
            throw new BadInputException("--split must be in (0, 1], got " + trainFraction);
        if (maxTokensPerExample < 1) throw new BadInputException("token limit per example must be positive, got " + maxTokensPerExample);
        if (systemPrompt == null || systemPrompt.isBlank())
            throw new BadInputException("export needs the consultant system prompt (it becomes every example's system message)");
        formats = formats == null || formats.isEmpty() ? EnumSet.allOf(ExportFormat.class) : EnumSet.copyOf(formats);
        generationSettings = generationSettings == null ? Map.of() : Map.copyOf(generationSettings);
        selection = selection == null ? Selection.PASSING : selection;
        certification = certification == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(certification));
        systemMessage = systemMessage == null ? SystemMessage.KEEP : systemMessage;
        promptSource = promptSource == null ? PromptSource.RECORDED : promptSource;
    }

    public ExportSettings(Path outDir, Set<ExportFormat> formats, double trainFraction, long seed, int maxTokensPerExample,
                          String systemPrompt, Map<String, Object> generationSettings, String brunVersion, double totalCostUsd,
                          Selection selection, Double minScore, boolean allowSimulated) {
        this(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd,
                selection, minScore, allowSimulated, Map.of(), null, null, SystemMessage.KEEP, PromptSource.RECORDED);
    }

    /** Defaults: every format, 90/10 split, seed 42, 16k tokens, passing conversations, no simulated data. */
    public static ExportSettings defaults(Path outDir, String systemPrompt, String brunVersion) {
        return new ExportSettings(outDir, EnumSet.allOf(ExportFormat.class), DEFAULT_TRAIN_FRACTION, 42L, DEFAULT_MAX_TOKENS,
                systemPrompt, Map.of(), brunVersion, 0.0, Selection.PASSING, null, false);
    }

    public ExportSettings withFormats(Set<ExportFormat> f) { return new ExportSettings(outDir, f, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allowSimulated, certification, targetModel, license, systemMessage, promptSource); }
    public ExportSettings withSplit(double fraction, long newSeed) { return new ExportSettings(outDir, formats, fraction, newSeed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allowSimulated, certification, targetModel, license, systemMessage, promptSource); }
    public ExportSettings withMaxTokens(int max) { return new ExportSettings(outDir, formats, trainFraction, seed, max, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allowSimulated, certification, targetModel, license, systemMessage, promptSource); }
    public ExportSettings withSelection(Selection s, Double min) { return new ExportSettings(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, s, min, allowSimulated, certification, targetModel, license, systemMessage, promptSource); }
    public ExportSettings withAllowSimulated(boolean allow) { return new ExportSettings(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allow, certification, targetModel, license, systemMessage, promptSource); }
    public ExportSettings withRunFacts(Map<String, Object> settingsPerPhase, double costUsd) { return new ExportSettings(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, settingsPerPhase, brunVersion, costUsd, selection, minScore, allowSimulated, certification, targetModel, license, systemMessage, promptSource); }
    public ExportSettings withCertification(Map<String, Object> facts) { return new ExportSettings(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allowSimulated, facts, targetModel, license, systemMessage, promptSource); }
    public ExportSettings withTargetModel(String model, String dataLicense) { return new ExportSettings(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allowSimulated, certification, model, dataLicense, systemMessage, promptSource); }
    public ExportSettings withSystem(SystemMessage message, PromptSource source) { return new ExportSettings(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allowSimulated, certification, targetModel, license, message, source); }

    /** The system prompt a conversation is exported with: the one its file recorded, unless the pack's is asked for. */
    public String systemPromptFor(ExportItem item) {
        String recorded = item.provenance().systemPrompt();
        return promptSource == PromptSource.RECORDED && recorded != null ? recorded : systemPrompt;
    }
}

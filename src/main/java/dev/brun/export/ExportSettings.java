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
 */
public record ExportSettings(Path outDir, Set<ExportFormat> formats, double trainFraction, long seed,
                             int maxTokensPerExample, String systemPrompt, Map<String, Object> generationSettings,
                             String brunVersion, double totalCostUsd, Selection selection, Double minScore,
                             boolean allowSimulated, Map<String, Object> certification) {
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
    }

    /** Defaults: every format, 90/10 split, seed 42, 16k tokens, passing conversations, no simulated data. */
    public static ExportSettings defaults(Path outDir, String systemPrompt, String brunVersion) {
        return new ExportSettings(outDir, EnumSet.allOf(ExportFormat.class), DEFAULT_TRAIN_FRACTION, 42L, DEFAULT_MAX_TOKENS,
                systemPrompt, Map.of(), brunVersion, 0.0, Selection.PASSING, null, false, Map.of());
    }

    public ExportSettings withFormats(Set<ExportFormat> f) { return new ExportSettings(outDir, f, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allowSimulated, certification); }
    public ExportSettings withSplit(double fraction, long newSeed) { return new ExportSettings(outDir, formats, fraction, newSeed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allowSimulated, certification); }
    public ExportSettings withMaxTokens(int max) { return new ExportSettings(outDir, formats, trainFraction, seed, max, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allowSimulated, certification); }
    public ExportSettings withSelection(Selection s, Double min) { return new ExportSettings(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, s, min, allowSimulated, certification); }
    public ExportSettings withAllowSimulated(boolean allow) { return new ExportSettings(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allow, certification); }
    public ExportSettings withRunFacts(Map<String, Object> settingsPerPhase, double costUsd) { return new ExportSettings(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, settingsPerPhase, brunVersion, costUsd, selection, minScore, allowSimulated, certification); }
    public ExportSettings withCertification(Map<String, Object> facts) { return new ExportSettings(outDir, formats, trainFraction, seed, maxTokensPerExample, systemPrompt, generationSettings, brunVersion, totalCostUsd, selection, minScore, allowSimulated, facts); }
}

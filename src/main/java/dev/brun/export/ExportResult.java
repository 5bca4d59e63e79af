package dev.brun.export;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What an export wrote and left out; excluded maps each reason to how many conversations it excluded. */
public record ExportResult(Path outDir, List<WrittenFile> files, int conversations, int trainingPairs,
                           int trainConversations, int validationConversations, Map<String, Integer> excluded) {
    public ExportResult {
        files = List.copyOf(files);
        excluded = Map.copyOf(excluded);
    }

    public int excludedCount() { return excluded.values().stream().mapToInt(Integer::intValue).sum(); }
}

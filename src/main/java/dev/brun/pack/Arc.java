package dev.brun.pack;

import java.util.List;

/**
 * An emotional arc (arcs/*.yaml): where the user starts and ends emotionally, the stages between, and
 * how many exchanges (a user message plus the consultant's reply) it takes. startFamily/endFamily are
 * emotions that count as the same place (the primary emotion is always part of its family).
 */
public record Arc(String key, String name, String startEmotion, double startIntensity, List<String> startFamily,
                  String endEmotion, double endIntensity, List<String> endFamily, List<ArcStage> stages,
                  int minExchanges, int maxExchanges, ArcCategory category, String strategy,
                  List<String> techniques, List<String> avoid) {
    public Arc {
        startFamily = List.copyOf(startFamily);
        endFamily = List.copyOf(endFamily);
        stages = List.copyOf(stages);
        techniques = List.copyOf(techniques);
        avoid = List.copyOf(avoid);
    }

    public List<String> stageKeys() { return stages.stream().map(ArcStage::key).toList(); }
    public int minTurns() { return minExchanges * 2; }
    public int maxTurns() { return maxExchanges * 2; }
}

package dev.brun.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Mean reply score per persona, arc, topic and stage, weakest first: where the next round of data should go. */
public final class CellRanking {
    public enum Dimension {
        PERSONA(ReplyScore::persona), ARC(ReplyScore::arc), TOPIC(ReplyScore::topic), STAGE(ReplyScore::stage);
        final Function<ReplyScore, String> key;
        Dimension(Function<ReplyScore, String> key) { this.key = key; }
    }

    /** One cell: its mean score, how many replies it holds and its worst reply as the example to show. */
    public record Cell(Dimension dimension, String key, double mean, int replies, ReplyScore worst) {}

    private CellRanking() {}

    public static List<Cell> weakestFirst(List<ReplyScore> scores, Dimension dimension) {
        Map<String, List<ReplyScore>> byKey = new LinkedHashMap<>();
        for (ReplyScore s : scores) byKey.computeIfAbsent(String.valueOf(dimension.key.apply(s)), k -> new ArrayList<>()).add(s);
        List<Cell> cells = new ArrayList<>();
        byKey.forEach((k, list) -> cells.add(new Cell(dimension, k, list.stream().mapToDouble(ReplyScore::score).average().orElse(0), list.size(),
                list.stream().min(Comparator.comparingDouble(ReplyScore::score)).orElseThrow())));
        cells.sort(Comparator.comparingDouble(Cell::mean).thenComparing(Cell::key));
        return cells;
    }
}

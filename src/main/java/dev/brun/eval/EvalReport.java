package dev.brun.eval;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Scores;
import dev.brun.pack.Pack;
import dev.brun.quality.JudgePrompt;
import dev.brun.store.EvalDao;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * An eval run's results: every reply with its checks, its judge score and its win against the teacher, and the
 * cells (persona, arc, topic, stage) per model role, weakest first.
 *
 * <p>A reply's score is in [0, 1]: the checks' score, averaged with the judge's rubric score (1–5 mapped onto
 * [0, 1]) when the run has a judge. The win rate is the share of pairwise verdicts the model's reply won against
 * the teacher's recorded reply (a tie counts half), over both positions.
 */
public record EvalReport(String runId, EvalManifest manifest, int expectedReplies, Map<String, List<Result>> byRole,
                         Map<String, Map<CellRanking.Dimension, List<CellStats>>> cells) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One reply: the checks' verdict (its score replaced by the combined score), the checks alone, judge and win. */
    public record Result(ReplyScore score, double checksScore, Double judgeOverall, Double win) {}

    /** One cell of one role. */
    public record CellStats(CellRanking.Dimension dimension, String key, double mean, int replies, Double judgeMean, Double winRate,
                            ReplyScore worst) {}

    /** Totals of one role. */
    public record Totals(int replies, double mean, double checksMean, Double judgeMean, Double winRate) {}

    public static EvalReport build(String runId, EvalManifest manifest, Pack pack, List<Conversation> conversations,
                                   List<EvalDao.Reply> replies, List<EvalDao.Judgement> judgements) {
        ReplyScorer scorer = ReplyScorer.standard(dev.brun.quality.VoiceLexicon.defaults());
        Map<String, Conversation> byId = new HashMap<>();
        int expected = 0;
        for (Conversation c : conversations) {
            byId.put(c.id(), c);
            expected += c.assistantTurns().size();
        }
        Map<String, Map<String, String>> verdicts = new HashMap<>();
        for (EvalDao.Judgement j : judgements)
            verdicts.computeIfAbsent(EvalRunner.key(j.conversationId(), j.turnIndex(), j.role()), k -> new HashMap<>()).put(j.kind(), j.verdict());
        Map<String, List<Result>> byRole = new LinkedHashMap<>();
        byRole.put(EvalRunner.ADAPTER, new ArrayList<>());
        if (manifest.hasBaseline()) byRole.put(EvalRunner.BASELINE, new ArrayList<>());
        for (EvalDao.Reply r : replies) {
            Conversation c = byId.get(r.conversationId());
            if (c == null || !byRole.containsKey(r.role())) continue; // a conversation no longer in the held-out set
            ReplyScore checks = scorer.score(c, r.turnIndex(), r.reply(), pack);
            if ("max_tokens".equals(r.stopReason()) && !checks.flagCodes().contains("reply_cut_off")) {
                List<String> flags = new ArrayList<>(checks.flagCodes());
                flags.add("reply_cut_off");
                checks = new ReplyScore(checks.conversationId(), checks.turnIndex(), checks.persona(), checks.arc(), checks.topic(), checks.stage(),
                        checks.reply(), checks.teacherReply(), Math.max(0, checks.score() - 0.5), flags);
            }
            Map<String, String> v = verdicts.getOrDefault(EvalRunner.key(r.conversationId(), r.turnIndex(), r.role()), Map.of());
            Double judge = null;
            if (v.containsKey(EvalRunner.RUBRIC)) {
                Scores s = JudgePrompt.parse(v.get(EvalRunner.RUBRIC), String.valueOf(manifest.judgeModel()));
                judge = s.overall();
            }
            List<Double> wins = new ArrayList<>();
            if (v.containsKey(EvalRunner.PAIR)) wins.add(PairwisePrompt.modelWin(choice(v.get(EvalRunner.PAIR)), true));
            if (v.containsKey(EvalRunner.PAIR_SWAPPED)) wins.add(PairwisePrompt.modelWin(choice(v.get(EvalRunner.PAIR_SWAPPED)), false));
            Double win = wins.isEmpty() ? null : wins.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double combined = judge == null ? checks.score() : (checks.score() + (judge - 1) / 4) / 2;
            ReplyScore scored = new ReplyScore(checks.conversationId(), checks.turnIndex(), checks.persona(), checks.arc(), checks.topic(),
                    checks.stage() == null ? "(none)" : checks.stage(), checks.reply(), checks.teacherReply(), combined, checks.flagCodes());
            byRole.get(r.role()).add(new Result(scored, checks.score(), judge, win));
        }
        Map<String, Map<CellRanking.Dimension, List<CellStats>>> cells = new LinkedHashMap<>();
        for (Map.Entry<String, List<Result>> e : byRole.entrySet()) {
            Map<CellRanking.Dimension, List<CellStats>> perDimension = new LinkedHashMap<>();
            for (CellRanking.Dimension d : CellRanking.Dimension.values()) perDimension.put(d, cells(e.getValue(), d));
            cells.put(e.getKey(), perDimension);
        }
        return new EvalReport(runId, manifest, expected, byRole, cells);
    }

    private static PairwisePrompt.Choice choice(String verdictJson) {
        return PairwisePrompt.Choice.valueOf(JSON.readTree(verdictJson).path("better").asString());
    }

    private static List<CellStats> cells(List<Result> results, CellRanking.Dimension d) {
        Map<String, List<Result>> byKey = new HashMap<>();
        for (Result r : results) byKey.computeIfAbsent(String.valueOf(d.key.apply(r.score())), k -> new ArrayList<>()).add(r);
        List<CellStats> out = new ArrayList<>();
        for (CellRanking.Cell c : CellRanking.weakestFirst(results.stream().map(Result::score).toList(), d)) {
            List<Result> in = byKey.get(c.key());
            out.add(new CellStats(d, c.key(), c.mean(), c.replies(), mean(in.stream().map(Result::judgeOverall).toList()),
                    mean(in.stream().map(Result::win).toList()), c.worst()));
        }
        return out;
    }

    private static Double mean(List<Double> values) {
        OptionalDouble m = values.stream().filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).average();
        return m.isPresent() ? m.getAsDouble() : null;
    }

    public Totals totals(String role) {
        List<Result> rs = byRole.getOrDefault(role, List.of());
        return new Totals(rs.size(), rs.stream().mapToDouble(r -> r.score().score()).average().orElse(0),
                rs.stream().mapToDouble(Result::checksScore).average().orElse(0),
                mean(rs.stream().map(Result::judgeOverall).toList()), mean(rs.stream().map(Result::win).toList()));
    }

    /** Every expected reply of every role is stored (and judged, when the run has a judge). */
    public boolean complete() {
        for (List<Result> rs : byRole.values()) {
            if (rs.size() < expectedReplies) return false;
            if (manifest.judged() && rs.stream().anyMatch(r -> r.judgeOverall() == null || r.win() == null)) return false;
        }
        return true;
    }

    public List<String> roles() { return List.copyOf(byRole.keySet()); }

    /** The cells of a dimension for the adapter, weakest first. */
    public List<CellStats> weakest(CellRanking.Dimension d) { return cells.get(EvalRunner.ADAPTER).get(d); }

    /** The mean of one cell for a role, if the role has replies in it. */
    public OptionalDouble cellMean(String role, CellRanking.Dimension d, String key) {
        var perDim = cells.get(role);
        if (perDim == null) return OptionalDouble.empty();
        return perDim.get(d).stream().filter(c -> c.key().equals(key)).mapToDouble(CellStats::mean).findFirst();
    }

    /**
     * The adapter's weak cells, every dimension, weakest first: those below {@code below} when it is given, else
     * the bottom share of each dimension's cells among those below the adapter's overall score by more than 0.05
     * (a dimension whose cells are all alike has no weak cell).
     */
    public List<dev.brun.plan.GapFiller.WeakCell> weakCells(Double below, double bottomShare) {
        double overall = totals(EvalRunner.ADAPTER).mean();
        List<dev.brun.plan.GapFiller.WeakCell> out = new ArrayList<>();
        for (CellRanking.Dimension d : CellRanking.Dimension.values()) {
            List<CellStats> ranked = weakest(d);
            int take = below != null ? ranked.size() : (int) Math.ceil(ranked.size() * bottomShare);
            for (CellStats c : ranked.subList(0, Math.min(take, ranked.size()))) {
                if (below != null ? c.mean() >= below : c.mean() >= overall - 0.05) continue;
                out.add(new dev.brun.plan.GapFiller.WeakCell(d.name().toLowerCase(java.util.Locale.ROOT), c.key(), c.mean()));
            }
        }
        out.sort(java.util.Comparator.comparingDouble(dev.brun.plan.GapFiller.WeakCell::score));
        return out;
    }

    /** The document brun eval --json prints. */
    public Map<String, Object> toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("run", runId);
        doc.put("manifest", JSON.readValue(manifest.toJson(), Map.class));
        doc.put("expected_replies", expectedReplies);
        doc.put("complete", complete());
        Map<String, Object> roles = new LinkedHashMap<>();
        for (String role : roles()) {
            Totals t = totals(role);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("replies", t.replies());
            r.put("score", round(t.mean()));
            r.put("checks_score", round(t.checksMean()));
            r.put("judge_overall", t.judgeMean() == null ? null : round(t.judgeMean()));
            r.put("win_rate_vs_teacher", t.winRate() == null ? null : round(t.winRate()));
            Map<String, Object> dims = new LinkedHashMap<>();
            cells.get(role).forEach((d, list) -> dims.put(d.name().toLowerCase(java.util.Locale.ROOT), list.stream().map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", c.key());
                m.put("score", round(c.mean()));
                m.put("replies", c.replies());
                m.put("judge_overall", c.judgeMean() == null ? null : round(c.judgeMean()));
                m.put("win_rate_vs_teacher", c.winRate() == null ? null : round(c.winRate()));
                Map<String, Object> ex = new LinkedHashMap<>();
                ex.put("conversation_id", c.worst().conversationId());
                ex.put("turn", c.worst().turnIndex());
                ex.put("reply", c.worst().reply());
                ex.put("teacher_reply", c.worst().teacherReply());
                ex.put("flags", c.worst().flagCodes());
                m.put("worst_example", ex);
                return m;
            }).toList()));
            r.put("cells", dims);
            roles.put(role, r);
        }
        doc.put("models", roles);
        return doc;
    }

    static double round(double v) { return Math.round(v * 1000) / 1000.0; }
}

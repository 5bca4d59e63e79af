package dev.brun.review;

import dev.brun.store.ReviewerDecision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Agreement between reviewers who decided the same conversations (the overlapping share of a sample): for each
 * pair of reviewers, Cohen's kappa of "defect" over the conversations both decided, and the conversations they
 * disagree on, which need a third decision. A defect counts by the conversation's final decision elsewhere;
 * here each reviewer's own latest verdict is compared.
 */
public record ReviewerAgreement(List<PairAgreement> pairs) {

    /** One conversation two reviewers judged differently; defectA/defectB: what each said. */
    public record Disagreement(String conversationId, boolean defectA, boolean defectB) {}

    /** Reviewer a and b (a before b by name), their agreement and their disagreements. */
    public record PairAgreement(String reviewerA, String reviewerB, Agreement agreement, List<Disagreement> disagreements) {
        public PairAgreement { disagreements = List.copyOf(disagreements); }

        public int overlap() { return agreement.decisions(); }
    }

    public ReviewerAgreement {
        pairs = List.copyOf(pairs);
    }

    public static ReviewerAgreement of(List<ReviewerDecision> decisions) {
        Map<String, Map<String, Boolean>> byConversation = new TreeMap<>();
        for (ReviewerDecision d : decisions)
            byConversation.computeIfAbsent(d.conversationId(), k -> new TreeMap<>()).put(d.reviewer(), d.defect());
        Map<String, List<Agreement.Pair>> agreements = new TreeMap<>();
        Map<String, List<Disagreement>> disagreements = new TreeMap<>();
        Map<String, String[]> names = new TreeMap<>();
        byConversation.forEach((id, verdicts) -> {
            List<String> who = new ArrayList<>(verdicts.keySet());
            for (int i = 0; i < who.size(); i++)
                for (int j = i + 1; j < who.size(); j++) {
                    String a = who.get(i), b = who.get(j);
                    String key = a + "\u0000" + b;
                    names.putIfAbsent(key, new String[]{a, b});
                    boolean da = verdicts.get(a), db = verdicts.get(b);
                    agreements.computeIfAbsent(key, k -> new ArrayList<>()).add(new Agreement.Pair(da, db));
                    if (da != db) disagreements.computeIfAbsent(key, k -> new ArrayList<>()).add(new Disagreement(id, da, db));
                }
        });
        List<PairAgreement> pairs = new ArrayList<>();
        agreements.forEach((key, list) -> pairs.add(new PairAgreement(names.get(key)[0], names.get(key)[1], Agreement.of(list),
                disagreements.getOrDefault(key, List.of()))));
        return new ReviewerAgreement(pairs);
    }
}

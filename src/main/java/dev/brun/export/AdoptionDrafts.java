package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Provenance;
import dev.brun.conversation.Turn;
import dev.brun.pack.Pack;
import dev.brun.pack.PackAdoption;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Drafts, from conversations and what their files recorded, the arcs and topics a pack lacks: an arc's stages are
 * its consultant turns' stages in order of first appearance, its start and end the most common first and last client
 * emotion, its exchanges the fewest and most replies seen; names are the file's (or the key, readable). The
 * placeholder key "unspecified" (seed files name no arc or topic) is never adopted.
 */
public final class AdoptionDrafts {
    private static final Set<String> STOP = Set.of("about", "after", "again", "because", "before", "being", "could", "doesn",
            "don't", "every", "going", "have", "having", "into", "just", "know", "like", "make", "might", "more", "much", "need",
            "really", "should", "something", "that", "their", "there", "these", "they", "thing", "things", "think", "this",
            "those", "want", "what", "when", "where", "which", "while", "will", "with", "would", "your", "you're", "from",
            "been", "feel", "also", "actually", "years", "maybe", "didn", "wouldn", "isn", "aren", "haven", "than", "then", "them", "were", "right", "even", "still", "only", "some");

    /** One conversation with what its file recorded. */
    public record Source(Conversation conversation, Provenance provenance) {}

    public record Drafts(List<PackAdoption.ArcDraft> arcs, List<PackAdoption.TopicDraft> topics) {}

    private AdoptionDrafts() {}

    public static Drafts from(Pack pack, List<Source> sources) {
        Map<String, List<Source>> byArc = new LinkedHashMap<>();
        Map<String, List<Source>> byTopic = new LinkedHashMap<>();
        for (Source s : sources) {
            var sc = s.conversation().scaffolding();
            if (sc == null) continue;
            if (adoptable(sc.arcKey()) && pack.arc(sc.arcKey()).isEmpty()) byArc.computeIfAbsent(sc.arcKey(), k -> new ArrayList<>()).add(s);
            if (adoptable(sc.topicKey()) && pack.topic(sc.topicKey()).isEmpty())
                byTopic.computeIfAbsent(sc.topicKey(), k -> new ArrayList<>()).add(s);
        }
        List<PackAdoption.ArcDraft> arcs = new ArrayList<>();
        byArc.forEach((key, list) -> arcs.add(arc(key, list)));
        List<PackAdoption.TopicDraft> topics = new ArrayList<>();
        byTopic.forEach((key, list) -> topics.add(topic(key, list)));
        return new Drafts(arcs, topics);
    }

    private static boolean adoptable(String key) {
        return key != null && !key.equals(Importer.UNSPECIFIED) && key.matches("[a-z][a-z0-9_]*");
    }

    private static PackAdoption.ArcDraft arc(String key, List<Source> list) {
        LinkedHashSet<String> stages = new LinkedHashSet<>();
        Map<String, Integer> starts = new HashMap<>(), ends = new HashMap<>();
        double startSum = 0, endSum = 0;
        int withEmotion = 0, min = Integer.MAX_VALUE, max = 0;
        String name = null;
        for (Source s : list) {
            Conversation c = s.conversation();
            if (name == null) name = s.provenance().arcName();
            for (Turn t : c.turns()) if (t.isAssistant() && t.phase() != null && t.phase().matches("[a-z][a-z0-9_]*")) stages.add(t.phase());
            int replies = c.assistantTurns().size();
            min = Math.min(min, replies);
            max = Math.max(max, replies);
            List<Turn> users = c.userTurns().stream().filter(t -> t.emotion() != null).toList();
            if (users.isEmpty()) continue;
            withEmotion++;
            starts.merge(users.getFirst().emotion().primary(), 1, Integer::sum);
            ends.merge(users.getLast().emotion().primary(), 1, Integer::sum);
            startSum += users.getFirst().emotion().intensity();
            endSum += users.getLast().emotion().intensity();
        }
        // An arc needs at least one stage; conversations that recorded none get one named after the arc.
        if (stages.isEmpty()) stages.add(key + "_stage");
        return new PackAdoption.ArcDraft(key, name, List.copyOf(stages), mostCommon(starts), withEmotion == 0 ? 0.7 : startSum / withEmotion,
                mostCommon(ends), withEmotion == 0 ? 0.5 : endSum / withEmotion, min == Integer.MAX_VALUE ? 1 : min, max, list.size());
    }

    private static PackAdoption.TopicDraft topic(String key, List<Source> list) {
        String name = list.stream().map(s -> s.provenance().topicName()).filter(n -> n != null).findFirst().orElse(null);
        Map<String, Integer> counts = new HashMap<>();
        for (Source s : list)
            for (Turn t : s.conversation().userTurns())
                for (String w : t.content().toLowerCase(Locale.ROOT).split("[^a-z]+"))
                    if (w.length() >= 5 && !STOP.contains(w)) counts.merge(w, 1, Integer::sum);
        List<String> terms = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(6).map(Map.Entry::getKey).toList();
        if (terms.isEmpty()) terms = List.of(key.replace('_', ' '));
        return new PackAdoption.TopicDraft(key, name, terms, list.size());
    }

    private static String mostCommon(Map<String, Integer> counts) {
        // Most common; on a tie the alphabetically first, so the draft does not depend on reading order.
        Comparator<Map.Entry<String, Integer>> order = Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder());
        return counts.entrySet().stream().max(order).map(Map.Entry::getKey).orElse("unrecorded");
    }
}

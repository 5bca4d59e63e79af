package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;
import dev.brun.pack.Pack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Deterministic rubric scores (1-5) from what can be counted: feelings acknowledged, sentence length,
 * specific numbers, the checker's flags. Every point gained or lost is written down as a reason, so a
 * reviewer sees why a conversation got a 2 rather than trusting an opaque number.
 */
public final class HeuristicScorer implements Scorer {
    public static final String METHOD = "heuristic";
    private static final Pattern NUMBER = Pattern.compile("\\$\\s?\\d|\\d+(?:\\.\\d+)?\\s?%|\\b\\d[\\d,]*\\b");
    private static final List<String> NORMALIZING = List.of("common", "normal", "not alone", "makes sense", "understandable", "valid");
    private static final List<String> CELEBRATING = List.of("proud", "great progress", "well done", "big step", "you've already",
            "that's huge", "progress", "win");
    private static final List<String> METAPHOR = List.of("think of it", "imagine", "like a ", "picture ", "it's like");
    private static final Set<String> ERROR_CODES_FOR_APPROPRIATENESS = Set.of("truncated", "persona_mismatch", "role_order",
            "empty_turn", "turn_count", "judgment");
    private static final Set<String> VOICE_CODES = Set.of(VoiceCheck.FACTS_BEFORE_FEELINGS, VoiceCheck.NO_PERMISSION,
            VoiceCheck.UNEXPLAINED_JARGON, VoiceCheck.PLATITUDE, VoiceCheck.JUDGMENT);

    private final VoiceLexicon lexicon;

    public HeuristicScorer(VoiceLexicon lexicon) { this.lexicon = lexicon; }

    public HeuristicScorer() { this(VoiceLexicon.defaults()); }

    @Override
    public Scores score(Conversation c, Pack pack, List<QualityFlag> flags) {
        List<String> replies = c.assistantTurns().stream().map(Turn::content)
                .filter(s -> s != null && !s.isBlank()).map(s -> s.toLowerCase(Locale.ROOT).replace('’', '\'')).toList();
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        double empathy = empathy(replies, flags, reasons.computeIfAbsent("empathy", k -> new ArrayList<>()));
        double clarity = clarity(c, replies, flags, reasons.computeIfAbsent("clarity", k -> new ArrayList<>()));
        double appropriateness = appropriateness(flags, reasons.computeIfAbsent("appropriateness", k -> new ArrayList<>()));
        double brand = brandVoice(replies, flags, reasons.computeIfAbsent("brand_voice", k -> new ArrayList<>()));
        double overall = round((empathy + clarity + appropriateness + brand) / 4);
        // an unusable conversation cannot score well overall, however warm its words
        if (flags.stream().anyMatch(f -> f.severity() == Severity.ERROR) && overall > 2.5) {
            overall = 2.5;
            reasons.computeIfAbsent("overall", k -> new ArrayList<>()).add("capped at 2.5: the conversation has error flags");
        }
        return new Scores(empathy, clarity, appropriateness, brand, overall, METHOD, reasons);
    }

    private double empathy(List<String> replies, List<QualityFlag> flags, List<String> why) {
        if (replies.isEmpty()) { why.add("no assistant reply to judge"); return 1; }
        double s = 1.5;
        String first = String.join(" ", Words.sentences(replies.getFirst()).stream().limit(2).toList());
        if (lexicon.feelingMarkers().stream().anyMatch(first::contains)) { s += 1.5; why.add("+1.5 the first reply acknowledges feelings in its opening"); }
        else why.add("+0 the first reply's opening does not acknowledge feelings");
        long feeling = replies.stream().filter(r -> lexicon.feelingMarkers().stream().anyMatch(r::contains)).count();
        double share = (double) feeling / replies.size();
        s += share * 1.5;
        why.add(String.format("+%.1f %d of %d replies speak to feelings", share * 1.5, feeling, replies.size()));
        if (replies.stream().anyMatch(r -> NORMALIZING.stream().anyMatch(r::contains))) { s += 0.5; why.add("+0.5 normalizes the client's struggle"); }
        if (has(flags, VoiceCheck.FACTS_BEFORE_FEELINGS)) { s -= 1; why.add("-1 facts before feelings"); }
        if (has(flags, VoiceCheck.JUDGMENT)) { s -= 1.5; why.add("-1.5 judges the client"); }
        return clamp(s);
    }

    private double clarity(Conversation c, List<String> replies, List<QualityFlag> flags, List<String> why) {
        if (replies.isEmpty()) { why.add("no assistant reply to judge"); return 1; }
        double s = 3;
        int sentences = 0, words = 0;
        for (String r : replies) {
            for (String sentence : Words.sentences(r)) { sentences++; words += Words.of(sentence).size(); }
        }
        double avg = sentences == 0 ? 0 : (double) words / sentences;
        if (avg >= 8 && avg <= 22) { s += 1; why.add(String.format("+1 sentences of %.0f words on average (easy to follow)", avg)); }
        else if (avg > 30) { s -= 1; why.add(String.format("-1 long sentences (%.0f words on average)", avg)); }
        else why.add(String.format("+0 sentences of %.0f words on average", avg));
        long specific = replies.stream().filter(r -> NUMBER.matcher(r).find()).count();
        if (specific * 2 >= replies.size()) { s += 1; why.add("+1 specific numbers in " + specific + " of " + replies.size() + " replies"); }
        double avgReply = (double) words / replies.size();
        if (avgReply > 400) { s -= 1; why.add(String.format("-1 replies of %.0f words on average overwhelm", avgReply)); }
        for (String code : List.of(VoiceCheck.UNEXPLAINED_JARGON, FormatCheck.MARKUP_LEAK, RepetitionCheck.REPEATED_NGRAM, TruncationCheck.CODE)) {
            if (has(flags, code)) { s -= 0.75; why.add("-0.75 " + code.replace('_', ' ')); }
        }
        return clamp(s);
    }

    private double appropriateness(List<QualityFlag> flags, List<String> why) {
        double s = 5;
        for (QualityFlag f : flags) {
            if (ERROR_CODES_FOR_APPROPRIATENESS.contains(f.code())) { s -= 1.5; why.add("-1.5 " + f.code() + ": " + f.reason()); }
            else if (f.severity() == Severity.WARNING && !VOICE_CODES.contains(f.code())) { s -= 0.5; why.add("-0.5 " + f.code()); }
        }
        if (why.isEmpty()) why.add("no flags against persona, arc, topic, format or completeness");
        return clamp(s);
    }

    private double brandVoice(List<String> replies, List<QualityFlag> flags, List<String> why) {
        double s = 3;
        String all = String.join(" ", replies);
        if (NUMBER.matcher(all).find()) { s += 0.5; why.add("+0.5 specific numbers over abstractions"); }
        if (lexicon.permissionMarkers().stream().anyMatch(all::contains)) { s += 0.5; why.add("+0.5 asks before educating"); }
        if (CELEBRATING.stream().anyMatch(all::contains)) { s += 0.5; why.add("+0.5 celebrates progress"); }
        if (METAPHOR.stream().anyMatch(all::contains)) { s += 0.5; why.add("+0.5 uses an image or metaphor"); }
        for (QualityFlag f : flags) {
            if (!VOICE_CODES.contains(f.code())) continue;
            double penalty = f.code().equals(VoiceCheck.JUDGMENT) ? 1.5 : 0.75;
            s -= penalty;
            why.add("-" + penalty + " " + f.reason());
        }
        return clamp(s);
    }

    private static boolean has(List<QualityFlag> flags, String code) {
        return flags.stream().anyMatch(f -> f.code().equals(code));
    }

    private static double clamp(double v) { return round(Math.max(1, Math.min(5, v))); }

    private static double round(double v) { return Math.round(v * 10) / 10.0; }
}

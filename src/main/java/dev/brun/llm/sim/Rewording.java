package dev.brun.llm.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Swaps common phrases of the simulator's templates for equivalents, each occurrence drawn afresh from the
 * conversation's RNG. Two conversations built from the same sentence template then share far fewer word
 * triples, as two real samples of one prompt would, so near-duplicate detection and diversity figures
 * measured on simulated data mean something.
 */
final class Rewording {
    private static final Map<String, List<String>> EQUIVALENTS = Map.ofEntries(
            Map.entry("I would", List.of("I would", "I'd", "I'd probably")),
            Map.entry("really", List.of("really", "truly", "genuinely", "")),
            Map.entry("honestly", List.of("honestly", "to be honest", "frankly")),
            Map.entry("actually", List.of("actually", "in fact", "really", "")),
            Map.entry("most people", List.of("most people", "many people", "most households", "a lot of people")),
            Map.entry("a lot", List.of("a lot", "a great deal", "quite a bit")),
            Map.entry("simple", List.of("simple", "plain", "straightforward")),
            Map.entry("small", List.of("small", "modest", "little")),
            Map.entry("clear", List.of("clear", "concrete", "definite")),
            Map.entry("important", List.of("important", "essential", "worth doing")),
            Map.entry("decision", List.of("decision", "choice", "call")),
            Map.entry("decisions", List.of("decisions", "choices", "calls")),
            Map.entry("usually", List.of("usually", "typically", "most of the time", "often")),
            Map.entry("often", List.of("often", "frequently", "regularly")),
            Map.entry("look at", List.of("look at", "go over", "review", "walk through")),
            Map.entry("right now", List.of("right now", "at the moment", "currently", "today")),
            Map.entry("each month", List.of("each month", "every month", "monthly", "month to month")),
            Map.entry("every month", List.of("every month", "each month", "month after month")),
            Map.entry("worries", List.of("worries", "concerns")),
            Map.entry("understand", List.of("understand", "get", "grasp", "make sense of")),
            Map.entry("first step", List.of("first step", "starting point", "first move", "opening move")),
            Map.entry("next step", List.of("next step", "next move", "following step")),
            Map.entry("manageable", List.of("manageable", "doable", "within reach")),
            Map.entry("feels", List.of("feels", "seems")),
            Map.entry("situation", List.of("situation", "circumstances", "position")),
            Map.entry("household", List.of("household", "family")),
            Map.entry("money", List.of("money", "cash")),
            Map.entry("numbers", List.of("numbers", "figures", "amounts")),
            Map.entry("surprisingly", List.of("surprisingly", "remarkably", "unexpectedly")),
            Map.entry("because", List.of("because", "since", "as")),
            Map.entry("problem", List.of("problem", "difficulty")),
            Map.entry("hard", List.of("hard", "difficult", "tough")),
            Map.entry("quickly", List.of("quickly", "fast", "soon")),
            Map.entry("explain", List.of("explain", "describe")),
            Map.entry("choose", List.of("choose", "pick", "settle on")),
            Map.entry("today", List.of("today", "in this meeting", "this afternoon", "in this session")),
            Map.entry("later", List.of("later", "down the road", "further on")),
            Map.entry("a few", List.of("a few", "a couple of", "some")),
            Map.entry("the right", List.of("the right", "the best", "a suitable")),
            Map.entry("notice", List.of("notice", "see", "recognize")),
            Map.entry("pace", List.of("pace", "speed", "rhythm")),
            Map.entry("people", List.of("people", "folks", "clients", "individuals")));

    /** The table keyed by lower case, for lookups while scanning words. */
    private static final Map<String, List<String>> BY_LOWER_CASE = EQUIVALENTS.entrySet().stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(e -> e.getKey().toLowerCase(java.util.Locale.ROOT), Map.Entry::getValue));

    private static final Pattern WORD = Pattern.compile("[A-Za-z]+");

    private Rewording() {}

    /**
     * The text with each known phrase replaced by one of its equivalents, whitespace tidied. Protected
     * strings (the topic's key terms, emotion words: what the checks look for) are left exactly as they are.
     */
    static String apply(String text, SplittableRandom rng, List<String> protectedStrings) {
        List<String> held = new ArrayList<>();
        String masked = text;
        for (String p : protectedStrings.stream().filter(x -> !x.isBlank()).sorted((a, b) -> b.length() - a.length()).toList()) {
            if (!masked.contains(p)) continue;
            masked = masked.replace(p, "\u0001" + held.size() + "\u0002");
            held.add(p);
        }
        String reworded = reword(masked, rng);
        for (int i = 0; i < held.size(); i++) reworded = reworded.replace("\u0001" + i + "\u0002", held.get(i));
        return reworded;
    }

    /**
     * One pass over the words: at each word, a known two-word phrase first, then a known word. A word glued to
     * an apostrophe or digits ("people's", "401k") is left alone, so no "folks's" comes out.
     */
    private static String reword(String text, SplittableRandom rng) {
        List<int[]> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) words.add(new int[] {m.start(), m.end()});
        StringBuilder out = new StringBuilder(text.length() + 64);
        int copied = 0;
        for (int i = 0; i < words.size(); i++) {
            int[] w = words.get(i);
            int end = w[1];
            List<String> options = null;
            if (i + 1 < words.size() && words.get(i + 1)[0] == w[1] + 1 && text.charAt(w[1]) == ' ') {
                options = BY_LOWER_CASE.get(text.substring(w[0], words.get(i + 1)[1]).toLowerCase(java.util.Locale.ROOT));
                if (options != null) end = words.get(++i)[1];
            }
            if (options == null) options = BY_LOWER_CASE.get(text.substring(w[0], w[1]).toLowerCase(java.util.Locale.ROOT));
            if (options == null || (w[0] > 0 && isWordChar(text.charAt(w[0] - 1))) || (end < text.length() && isWordChar(text.charAt(end))))
                continue;
            String found = text.substring(w[0], end);
            String chosen = options.get(rng.nextInt(options.size()));
            if (Character.isUpperCase(found.charAt(0)) && !chosen.isEmpty() && !found.startsWith("I "))
                chosen = Character.toUpperCase(chosen.charAt(0)) + chosen.substring(1);
            out.append(text, copied, w[0]).append(chosen);
            copied = end;
        }
        out.append(text, copied, text.length());
        return out.toString().replaceAll("\\s{2,}", " ").replaceAll(" ([,.;:?!])", "$1").strip();
    }

    /** Digits, underscores and apostrophes glue to a word ("401k", "don't"): such a token is not a phrase. */
    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '\'';
    }
}

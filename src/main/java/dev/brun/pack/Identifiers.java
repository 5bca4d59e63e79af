package dev.brun.pack;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Key syntax and "did you mean" suggestions for misspelt keys and references. */
public final class Identifiers {
    private static final Pattern SNAKE = Pattern.compile("[a-z0-9]+(_[a-z0-9]+)*");

    private Identifiers() {}

    public static boolean isValid(String key) { return SNAKE.matcher(key).matches(); }

    /** What a free-form name would look like as a key: "Marcus Chen" becomes "marcus_chen". */
    public static String suggest(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "my_key" : s;
    }

    /** The candidate closest to word, when it is close enough to be a plausible typo. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int tolerated = Math.max(2, word.length() / 3);
        if (best != null && bestDistance <= tolerated) return Optional.of(best);
        // "maximum" for "max", "years" for "years_experience": one name is the start of the other
        String lower = word.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .filter(c -> c.length() >= 3 && lower.length() >= 3)
                .filter(c -> lower.startsWith(c.toLowerCase(Locale.ROOT)) || c.toLowerCase(Locale.ROOT).startsWith(lower))
                .findFirst();
    }

    /** Levenshtein distance. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

package dev.brun.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tokenising shared by the checks: lower-case words, sentences, n-grams. */
final class Words {

    private Words() {}

    /**
     * Lower-case words: runs of letters and digits, with one inner apostrophe kept ("don't", "sarah's").
     * Hand-written rather than a regex: every check and every MinHash signature goes through here.
     */
    static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        int n = text.length(), i = 0;
        StringBuilder w = new StringBuilder(16);
        while (i < n) {
            char ch = text.charAt(i);
            if (Character.isLetterOrDigit(ch)) {
                w.append(Character.toLowerCase(ch));
                i++;
                continue;
            }
            if ((ch == '\'' || ch == '’') && !w.isEmpty() && i + 1 < n && Character.isLetter(text.charAt(i + 1))
                    && w.indexOf("'") < 0) {
                w.append('\'');
                i++;
                continue;
            }
            if (!w.isEmpty()) { out.add(w.toString()); w.setLength(0); }
            i++;
        }
        if (!w.isEmpty()) out.add(w.toString());
        return out;
    }

    /** Sentences end at . ! or ? (with any closing quotes or brackets) followed by white space. */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        int n = text.length(), start = 0, i = 0;
        while (i < n) {
            char ch = text.charAt(i++);
            if (ch != '.' && ch != '!' && ch != '?') continue;
            while (i < n && "\"'”’)".indexOf(text.charAt(i)) >= 0) i++;
            if (i < n && !Character.isWhitespace(text.charAt(i))) continue;
            add(out, text.substring(start, i));
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            start = i;
        }
        if (start < n) add(out, text.substring(start));
        return out;
    }

    private static void add(List<String> out, String sentence) {
        if (!sentence.isBlank()) out.add(sentence.strip());
    }

    static List<String> ngrams(List<String> words, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + n <= words.size(); i++) out.add(String.join(" ", words.subList(i, i + n)));
        return out;
    }

    static String norm(String text) {
        return String.join(" ", of(text));
    }

    /** Emotion names arrive as "Cautious Optimism" or "cautious_optimism"; compare them in one form. */
    static String emotionKey(String emotion) {
        return emotion == null ? "" : emotion.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
    }

    static String quote(String text, int max) {
        String t = text.strip().replaceAll("\\s+", " ");
        return "\"" + (t.length() <= max ? t : t.substring(0, max) + "…") + "\"";
    }
}

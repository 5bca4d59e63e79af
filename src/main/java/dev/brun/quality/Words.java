package dev.brun.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Tokenising shared by the checks: lower-case words, sentences, n-grams. */
final class Words {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)?");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])[\"'”’)]*\\s+");

    private Words() {}

    static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT).replace('’', '\''));
        while (m.find()) out.add(m.group());
        return out;
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        for (String s : SENTENCE_END.split(text.strip())) {
            if (!s.isBlank()) out.add(s.strip());
        }
        return out;
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

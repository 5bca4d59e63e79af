package dev.brun.quality;

import java.util.List;
import java.util.Map;

/**
 * Word lists behind the consultant-voice check. The defaults suit a financial-planning consultant; a
 * pack for another domain supplies its own jargon (term → words that count as explaining it) and phrases.
 */
public record VoiceLexicon(List<String> feelingMarkers, List<String> permissionMarkers, List<String> educatingMarkers,
                           Map<String, List<String>> jargon, List<String> judgmentPhrases, List<String> platitudes) {
    public VoiceLexicon {
        feelingMarkers = List.copyOf(feelingMarkers);
        permissionMarkers = List.copyOf(permissionMarkers);
        educatingMarkers = List.copyOf(educatingMarkers);
        jargon = Map.copyOf(jargon);
        judgmentPhrases = List.copyOf(judgmentPhrases);
        platitudes = List.copyOf(platitudes);
    }

    /** Words that explain a term next to it, whatever the term. */
    static final List<String> EXPLAINERS = List.of("which means", "meaning", "that is,", "in other words", "basically",
            "think of", "like a", "is a ", "is the ", "are a ", "are the ", "is when", "refers to", "simply", "(", " — ", " - ");

    public static VoiceLexicon defaults() {
        return new VoiceLexicon(
                List.of("feel", "feeling", "overwhelm", "stress", "anxious", "anxiety", "worr", "frustrat", "scary", "scared",
                        "understandable", "makes sense", "completely normal", "so common", "hear you", "hear that", "not alone",
                        "valid", "courage", "tough", "hard", "relief", "glad you", "thank you for sharing", "i can imagine",
                        "sounds like", "that's a lot", "exhausting", "shame", "embarrass", "nothing to be", "confus", "pressure", "stupid",
                        "i can hear", "take a breath", "common", "normal", "emotional", "fear", "afraid", "lost"),
                List.of("would it help if", "would you like me to", "would you like to", "can i walk you", "may i", "would it be helpful",
                        "does that sound", "want me to", "shall we", "could i share", "would that be useful", "if you're open to",
                        "is it okay if", "would you be open"),
                List.of("here's how", "works like", "the way it works", "let me explain", "step 1", "first,", "the rule is",
                        "what this means", "the math", "here's what", "there are three", "there are two", "the key is"),
                Map.ofEntries(
                        Map.entry("rsu", List.of("restricted stock", "shares your company", "company stock")),
                        Map.entry("agi", List.of("adjusted gross income")),
                        Map.entry("magi", List.of("modified adjusted gross income")),
                        Map.entry("basis points", List.of("hundredth of a percent", "0.01%")),
                        Map.entry("expense ratio", List.of("annual fee", "yearly fee", "fund charges")),
                        Map.entry("sequence of returns", List.of("order in which", "early in retirement")),
                        Map.entry("amortization", List.of("paid down over", "schedule of payments")),
                        Map.entry("elimination period", List.of("waiting period", "days before", "self-insuring the first")),
                        Map.entry("backdoor roth", List.of("contribute to a traditional", "convert")),
                        Map.entry("vesting cliff", List.of("before any", "first year")),
                        Map.entry("required minimum distribution", List.of("have to withdraw", "must withdraw")),
                        Map.entry("rmd", List.of("have to withdraw", "must withdraw", "required minimum")),
                        Map.entry("capital gains", List.of("profit", "gain on")),
                        Map.entry("asset allocation", List.of("mix of", "split between")),
                        Map.entry("rebalanc", List.of("back to your target", "bring it back")),
                        Map.entry("iso", List.of("incentive stock option")),
                        Map.entry("amt", List.of("alternative minimum tax")),
                        Map.entry("heloc", List.of("home equity line"))),
                List.of("you should have", "you shouldn't have", "why didn't you", "why would you", "that was a mistake",
                        "that was a bad", "irresponsible", "you really should know", "obviously you", "that's a rookie",
                        "you wasted", "frankly, that's", "big mistake", "should have known", "careless", "that's just lazy",
                        "you're behind because you"),
                List.of("everything happens for a reason", "don't worry", "it'll all work out", "it will all work out",
                        "just stay positive", "money isn't everything", "slow and steady wins", "it's never too late",
                        "you've got this!", "just believe in yourself", "follow your dreams", "the sky's the limit",
                        "rome wasn't built in a day", "every little bit helps", "just spend less than you earn"));
    }
}

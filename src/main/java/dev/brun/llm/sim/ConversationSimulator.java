package dev.brun.llm.sim;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes one plausible {@code submit_conversation} input from a unit's facts, deterministically per unit
 * key and variation index: the user states the persona's age, family, occupation and an income inside the
 * persona's range; the topic's key terms come up; emotions move from the arc's start family to its end
 * family; assistant phases follow the arc's stages in order; every reply acknowledges the feeling before
 * the facts and ends with a complete sentence. Several templates per slot, chosen by a seeded RNG, make
 * variations of one combination differ.
 */
public final class ConversationSimulator {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Set<String> NEGATIVE = Set.of("anxious", "worried", "afraid", "fearful", "scared", "overwhelmed",
            "stressed", "frustrated", "angry", "ashamed", "embarrassed", "guilty", "sad", "hopeless", "confused",
            "nervous", "panicked", "defensive", "resentful", "skeptical", "uncertain", "insecure", "discouraged",
            "grieving", "lonely", "distrustful", "helpless", "irritated", "disappointed", "paralyzed", "desperate");
    private static final Set<String> POSITIVE = Set.of("hopeful", "relieved", "confident", "calm", "grateful", "motivated",
            "empowered", "optimistic", "reassured", "excited", "proud", "determined", "curious", "secure", "content",
            "encouraged", "focused", "clear", "trusting", "peaceful", "energized", "capable", "engaged", "ready");

    private static final List<String> SKILLS = List.of("active listening", "emotional validation", "plain-language explanation",
            "reframing", "open questions", "summarizing", "goal setting", "next-step planning", "normalizing", "checking understanding");

    /** The tool input for these facts. */
    public ObjectNode write(UnitFacts facts) {
        SplittableRandom rng = new SplittableRandom(seed(facts.unitKey() + "#" + facts.variationIndex()));
        Slots s = new Slots(facts, rng);
        UnitFacts.Arc arc = facts.arc();
        int exchanges = arc.minExchanges() + rng.nextInt(arc.maxExchanges() - arc.minExchanges() + 1);

        ObjectNode out = JSON.createObjectNode();
        out.put("session_context", s.sessionContext());
        out.put("expected_outcome", s.expectedOutcome());
        ArrayNode turns = out.putArray("turns");
        for (int i = 0; i < exchanges; i++) {
            double t = exchanges == 1 ? 1.0 : (double) i / (exchanges - 1);
            String emotion = s.emotionAt(i, exchanges);
            String secondary = s.secondaryFor(emotion, t);
            double intensity = clamp(arc.startIntensity() + (arc.endIntensity() - arc.startIntensity()) * t + (rng.nextDouble() - 0.5) * 0.08);
            String term = s.term(i);
            String stage = arc.stages().get(exchanges == 1 ? arc.stages().size() - 1
                    : (int) Math.round((double) i * (arc.stages().size() - 1) / (exchanges - 1)));

            ObjectNode user = turns.addObject();
            user.put("role", "user");
            user.put("content", s.userTurn(i, exchanges, emotion, term));
            ObjectNode e = user.putObject("emotion");
            e.put("primary", emotion);
            e.put("secondary", secondary);
            e.put("intensity", round2(intensity));
            e.put("confidence", round2(0.7 + rng.nextDouble() * 0.25));
            e.put("valence", valence(emotion, t));

            ObjectNode assistant = turns.addObject();
            assistant.put("role", "assistant");
            assistant.put("content", s.assistantTurn(i, exchanges, emotion, term, stage));
            assistant.put("phase", stage);
            assistant.put("learning_objective", s.learningObjective(i, exchanges, emotion, term, stage));
            ArrayNode skills = assistant.putArray("skills");
            List<String> picked = pickSkills(rng, i, exchanges);
            picked.forEach(skills::add);
        }
        return out;
    }

    private static List<String> pickSkills(SplittableRandom rng, int i, int n) {
        List<String> out = new ArrayList<>();
        out.add(i == 0 ? "emotional validation" : i == n - 1 ? "next-step planning" : SKILLS.get(rng.nextInt(SKILLS.size())));
        String second = SKILLS.get(rng.nextInt(SKILLS.size()));
        if (!out.contains(second)) out.add(second);
        return out;
    }

    static String valence(String emotion, double t) {
        String e = emotion.toLowerCase(Locale.ROOT);
        if (NEGATIVE.contains(e)) return "negative";
        if (POSITIVE.contains(e)) return "positive";
        return t < 0.34 ? "negative" : t > 0.66 ? "positive" : "mixed";
    }

    private static double clamp(double v) { return Math.max(0.05, Math.min(1.0, v)); }

    private static double round2(double v) { return Math.round(v * 100) / 100.0; }

    static long seed(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < 8; i++) seed = seed << 8 | (d[i] & 0xff);
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The wording of one conversation: facts plus the RNG that picks templates. */
    private static final class Slots {
        private final UnitFacts f;
        private final SplittableRandom rng;
        private final String first;
        private final String consultant;
        private final String income;
        private final String topic;

        Slots(UnitFacts facts, SplittableRandom rng) {
            this.f = facts;
            this.rng = rng;
            this.first = facts.persona().name().split("\\s+")[0];
            this.consultant = facts.consultant().name().split("\\s+")[0];
            long min = facts.persona().incomeMin();
            long max = Math.max(min, facts.persona().incomeMax());
            long value = min + (max > min ? rng.nextLong(max - min + 1) : 0);
            long rounded = Math.round(value / 1000.0) * 1000;
            if (rounded < min || rounded > max) rounded = value;
            this.income = "$" + NumberFormat.getIntegerInstance(Locale.US).format(rounded);
            this.topic = lowerFirst(facts.topic().name());
        }

        private final java.util.Map<String, java.util.Set<Integer>> used = new java.util.HashMap<>();
        private boolean incomeStated;

        /** A random option of a slot, avoiding the ones this conversation already used while any are left. */
        String pick(String slot, String... options) {
            java.util.Set<Integer> taken = used.computeIfAbsent(slot, k -> new java.util.HashSet<>());
            if (taken.size() >= options.length) taken.clear();
            int i;
            do {
                i = rng.nextInt(options.length);
            } while (taken.contains(i));
            taken.add(i);
            return options[i];
        }

        String term(int i) {
            List<String> terms = f.topic().keyTerms();
            return terms.isEmpty() ? topic : terms.get((i + f.variationIndex()) % terms.size());
        }

        String emotionAt(int i, int n) {
            UnitFacts.Arc arc = f.arc();
            if (i == 0) return arc.startEmotion();
            if (i == n - 1) return arc.endEmotion();
            double t = (double) i / (n - 1);
            List<String> family = t < 0.5 ? arc.startFamily() : arc.endFamily();
            if (family.isEmpty()) return t < 0.5 ? arc.startEmotion() : arc.endEmotion();
            return family.get(rng.nextInt(family.size()));
        }

        String secondaryFor(String primary, double t) {
            List<String> family = t < 0.5 ? f.arc().startFamily() : f.arc().endFamily();
            List<String> others = family.stream().filter(e -> !e.equalsIgnoreCase(primary)).toList();
            if (others.isEmpty()) return t < 0.5 ? "uncertain" : "relieved";
            return others.get(rng.nextInt(others.size()));
        }

        String occupation() {
            String o = lowerFirst(f.persona().occupation());
            if (o.isEmpty()) return "working";
            return (startsWithVowel(o) ? "an " : "a ") + o;
        }

        String familyClause() {
            String family = f.persona().family();
            return family.isBlank() ? "" : " At home: " + sentence(family);
        }

        String phrase() {
            List<String> phrases = f.persona().typicalPhrases();
            if (phrases.isEmpty()) return "";
            return sentence(phrases.get(rng.nextInt(phrases.size()))) + " ";
        }

        String sessionContext() {
            UnitFacts.Persona p = f.persona();
            String where = p.location().isBlank() ? "" : " in " + p.location();
            String hint = f.variationHint().isBlank() ? "" : " " + sentence(f.variationHint());
            return p.name() + ", " + p.age() + ", " + occupation() + where + " (" + (p.family().isBlank() ? "family not stated" : p.family())
                    + "; household income about " + income + "), meets " + f.consultant().name() + " about " + topic
                    + ", feeling " + f.arc().startEmotion() + " at the start." + hint;
        }

        String expectedOutcome() {
            return pick("outcome",
                    first + " moves from feeling " + f.arc().startEmotion() + " to " + f.arc().endEmotion()
                            + " and leaves with one concrete next step on " + term(0) + ".",
                    first + " understands how " + term(0) + " fits their situation, feels " + f.arc().endEmotion()
                            + ", and agrees on a first step with " + consultant + ".",
                    "By the end " + first + " feels " + f.arc().endEmotion() + " instead of " + f.arc().startEmotion()
                            + " and has a plan for " + topic + " that fits an income of about " + income + ".");
        }

        String userTurn(int i, int n, String emotion, String term) {
            UnitFacts.Persona p = f.persona();
            if (i == 0) {
                String opening = pick("opening",
                        "Hi " + consultant + ". I'm " + first + ", I'm " + p.age() + " and I work as " + occupation() + "." + familyClause()
                                + " Honestly, I feel " + emotion + " about " + topic + ", and I don't know where to start.",
                        "Thanks for seeing me. A bit about me: I'm " + p.age() + ", " + occupation() + "." + familyClause()
                                + " We bring in about " + income + " a year. " + phrase() + "Thinking about " + topic + " makes me feel " + emotion + ".",
                        phrase() + "I've put this off for months. I'm " + p.age() + " and I work as " + occupation() + "." + familyClause()
                                + " Whenever " + term + " comes up I get " + emotion + ".")
                        .strip();
                incomeStated = opening.contains(income);
                return opening;
            }
            if (i == n - 1) {
                return pick("closing",
                        "This is the first time " + topic + " has felt manageable. I feel " + emotion + " now. Can we write down the first step together?",
                        "Thank you, " + consultant + ". I actually feel " + emotion + " about this, and I know what to do about " + term + " this week.",
                        "Okay, I can do that. I feel " + emotion + ", honestly. Let's meet again once I've sorted out " + term + ".");
            }
            String incomeLine = incomeStated ? "" : " Our household income is about " + income + " a year, if that helps.";
            incomeStated = true;
            return (pick("question",
                    phrase() + "What does " + term + " actually mean for someone like me?",
                    "Okay, that helps. Right now I'd say I'm " + emotion + ". How would " + term + " work for us?",
                    "That makes sense. Should I be worried about " + term + ", or can that wait?",
                    "I hadn't thought of it that way. How much should " + term + " matter for my family right now?",
                    "Can you walk me through " + term + " in plain terms? I get " + emotion + " when the numbers pile up.")
                    + incomeLine).strip();
        }

        String assistantTurn(int i, int n, String emotion, String term, String stage) {
            String ack = "positive".equals(valence(emotion, (double) i / Math.max(1, n - 1))) ? pick("glad",
                    "I'm really glad to hear you feel " + emotion + ", " + first + ".",
                    "It's good to hear that you're feeling " + emotion + "; you have earned that.",
                    "Feeling " + emotion + " is a good sign, " + first + ", and it shows how far you have come today.") : pick("ack",
                    "It makes complete sense that you feel " + emotion + ", " + first + ".",
                    "Thank you for telling me that; feeling " + emotion + " about " + topic + " is more common than people admit.",
                    "I can hear how " + emotion + " this has made you, and that is a reasonable reaction.",
                    "That feeling of being " + emotion + " tells me this matters to you, which is a good place to start.");
            String fact = pick("fact",
                    upperFirst(term) + " is one of the first things we look at together, and for someone who is "
                            + f.persona().age() + " it usually comes down to a few clear choices.",
                    "Let's look at " + term + " with your own numbers: on about " + income + " a year, small regular steps add up faster than most people expect.",
                    "The good news about " + term + " is that it does not have to be perfect today; what matters is a decision you can keep.",
                    "Here is how " + term + " fits in: it is part of " + topic + ", and we will keep it tied to what you actually earn and spend.");
            String next;
            if (i == n - 1) {
                next = pick("farewell",
                        "You have done the hard part by starting, and I will send you a short summary of what we agreed.",
                        "Let's write that first step down now, and we will review how it went at our next meeting.",
                        "You are in a better position than you think, and we will take the next step together.");
            } else {
                next = pick("next",
                        "Could you tell me what worries you most about it?",
                        "Would it help if we wrote down the one number that matters most here?",
                        "What would feel like a manageable first step for you this month?",
                        "How does that sound to you so far?");
            }
            return ack + " " + fact + " " + next;
        }

        String learningObjective(int i, int n, String emotion, String term, String stage) {
            String stageName = stage.replace('_', ' ');
            if (i == 0) return "Acknowledge the client's " + emotion + " feelings before explaining " + term + " (" + stageName + ").";
            if (i == n - 1) return "Turn the discussion of " + topic + " into one concrete next step the client owns (" + stageName + ").";
            return pick("objective", "Explain " + term + " in plain language tied to the client's own income (" + stageName + ").",
                    "Show how " + term + " connects to the client's family situation (" + stageName + ").",
                    "Reframe " + term + " as a manageable choice rather than a threat (" + stageName + ").");
        }
    }

    private static String lowerFirst(String s) {
        if (s == null || s.isEmpty()) return "";
        if (s.length() > 1 && Character.isUpperCase(s.charAt(1))) return s; // an acronym such as "IRA rules"
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String upperFirst(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static boolean startsWithVowel(String s) {
        return !s.isEmpty() && "aeiou".indexOf(Character.toLowerCase(s.charAt(0))) >= 0;
    }

    private static String sentence(String s) {
        String t = s.strip();
        if (t.isEmpty()) return t;
        t = upperFirst(t);
        char last = t.charAt(t.length() - 1);
        return last == '.' || last == '!' || last == '?' ? t : t + ".";
    }
}

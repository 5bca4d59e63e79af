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
            String felt = feelingWord(emotion);
            user.put("content", Rewording.apply(s.userTurn(i, exchanges, felt, term), rng, s.protectedWords()));
            ObjectNode e = user.putObject("emotion");
            e.put("primary", emotion);
            e.put("secondary", secondary);
            e.put("intensity", round2(intensity));
            e.put("confidence", round2(0.7 + rng.nextDouble() * 0.25));
            e.put("valence", valence(emotion, t));

            ObjectNode assistant = turns.addObject();
            assistant.put("role", "assistant");
            assistant.put("content", Rewording.apply(s.assistantTurn(i, exchanges, felt, term, stage), rng, s.protectedWords()));
            assistant.put("phase", stage);
            assistant.put("learning_objective", s.learningObjective(i, exchanges, felt, term, stage));
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

    /** Packs name emotions as nouns (anxiety, grief); sentences such as "I feel ..." need the adjective. */
    private static final java.util.Map<String, String> FEELING_WORDS = java.util.Map.ofEntries(
            java.util.Map.entry("anxiety", "anxious"), java.util.Map.entry("fear", "afraid"), java.util.Map.entry("worry", "worried"),
            java.util.Map.entry("hypervigilance", "on edge"), java.util.Map.entry("confidence", "confident"),
            java.util.Map.entry("reassurance", "reassured"), java.util.Map.entry("empowerment", "empowered"),
            java.util.Map.entry("clarity", "clear-headed"), java.util.Map.entry("confusion", "confused"),
            java.util.Map.entry("embarrassment", "embarrassed"), java.util.Map.entry("overwhelm", "overwhelmed"),
            java.util.Map.entry("uncertainty", "unsure"), java.util.Map.entry("relief", "relieved"),
            java.util.Map.entry("frustration", "frustrated"), java.util.Map.entry("tension", "tense"),
            java.util.Map.entry("pressure", "pressured"), java.util.Map.entry("partnership", "on the same side"),
            java.util.Map.entry("hope", "hopeful"), java.util.Map.entry("grief", "grief-stricken"), java.util.Map.entry("guilt", "guilty"),
            java.util.Map.entry("healing", "more at peace"), java.util.Map.entry("peace", "at peace"),
            java.util.Map.entry("acceptance", "accepting"), java.util.Map.entry("shame", "ashamed"),
            java.util.Map.entry("self_blame", "to blame"), java.util.Map.entry("determination", "determined"),
            java.util.Map.entry("permission", "allowed to move on"), java.util.Map.entry("sadness", "sad"),
            java.util.Map.entry("anger", "angry"), java.util.Map.entry("calm", "calm"), java.util.Map.entry("joy", "happy"));

    /** How a person says they feel an emotion: the adjective for a noun the pack uses, else the word itself. */
    static String feelingWord(String emotion) {
        String e = emotion.toLowerCase(Locale.ROOT);
        return FEELING_WORDS.getOrDefault(e, e.replace('_', ' '));
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

        /**
         * A long passage of a slot this conversation has not used yet, or nothing once all are used: a
         * long conversation runs out of material rather than repeating a paragraph, as a person would.
         */
        String fresh(String slot, String... options) {
            java.util.Set<Integer> taken = used.computeIfAbsent(slot, k -> new java.util.HashSet<>());
            if (taken.size() >= options.length) return "";
            return pick(slot, options);
        }

        /** What rewording must leave alone: the words the quality checks look for. */
        List<String> protectedWords() {
            List<String> words = new ArrayList<>(f.topic().keyTerms());
            words.addAll(List.of(topic, f.topic().name(), f.persona().name(), f.persona().family(), f.persona().occupation(),
                    occupation(), f.consultant().name(), f.arc().startEmotion(), f.arc().endEmotion()));
            words.addAll(f.arc().startFamily());
            words.addAll(f.arc().endFamily());
            words.addAll(f.persona().typicalPhrases());
            return words;
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
                return opening + " " + userStory(emotion, term);
            }
            if (i == n - 1) {
                return pick("closing",
                        "This is the first time " + topic + " has felt manageable. I feel " + emotion + " now. Can we write down the first step together?",
                        "Thank you, " + consultant + ". I actually feel " + emotion + " about this, and I know what to do about " + term + " this week.",
                        "Okay, I can do that. I feel " + emotion + ", honestly. Let's meet again once I've sorted out " + term + ".") + " " + pick("after", "I think what helped most today was hearing that I am not the only one who finds " + term + " hard; I came in expecting to be told I had done it all wrong, and instead I am leaving with something I can actually do.", "I am going to put a reminder in my calendar for Sunday evening so this does not slide again, and I will bring the statements next time so we can look at the real numbers together instead of my guesses.", "Honestly, I expected this conversation to make me feel worse, and it did the opposite. I would like to keep going at this pace, one piece at a time, because that feels like something I can sustain.", "I will talk it through at home tonight, and I think it will go better than usual because for once I can explain the reasoning and not only the worry. Thank you for being patient with all my questions.", "It is a relief to have a first step that is small enough to start this week. I will write down how it goes, including the parts that feel awkward, so we can adjust it if we need to.");
            }
            String incomeLine = incomeStated ? "" : " Our household income is about " + income + " a year, if that helps.";
            incomeStated = true;
            return (pick("question",
                    phrase() + "What does " + term + " actually mean for someone like me?",
                    "Okay, that helps. Right now I'd say I'm " + emotion + ". How would " + term + " work for us?",
                    "That makes sense. Should I be worried about " + term + ", or can that wait?",
                    "I hadn't thought of it that way. How much should " + term + " matter for my family right now?",
                    "Can you walk me through " + term + " in plain terms? I get " + emotion + " when the numbers pile up.")
                    + incomeLine + " " + userStory(emotion, term)).strip();
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
            return ack + " " + fact + " " + assistantBody(emotion, term, i == n - 1) + " " + next;
        }

        /*
         * Real advisor conversations are long: in the reference training file a client turn averages about
         * 890 characters and a consultant turn about 2,200. These sentences bring the simulated turns to
         * those lengths, so that token counts, costs and cache shares measured on the simulator are realistic.
         */
        String userStory(String emotion, String term) {
            String monthly = money(monthlyIncome());
            return fresh("situation",
                    "Some context: money comes in steadily, but by the end of most months I can't say where roughly " + monthly + " of it went, and that bothers me more than I like to admit.",
                    "I keep a spreadsheet, sort of, but I stopped updating it in the spring because every time I opened it I felt worse instead of better.",
                    "A friend at work mentioned " + term + " over lunch last week and I nodded along, but honestly I went home and searched for it and came away more confused than before.",
                    "We have some savings set aside, though I couldn't tell you whether it's the right amount or whether it's sitting in the right place for what we need.",
                    "Every article I read seems to assume I already know the basics, and the ones that don't are trying to sell me something, so I end up closing the tab.",
                    "I've had a couple of conversations with my bank about this, but they were rushed and I left with a brochure rather than an actual answer.")
                    + " " + fresh("worry",
                    "What keeps me up is the feeling that one wrong decision about " + term + " now could follow us for years, and I won't know until it's too late to fix.",
                    "Part of me wonders if I'm overthinking it, and part of me is afraid I'm not thinking about it nearly enough.",
                    "I don't want to be the person who ignored this until it became an emergency, but I also don't want to make a rushed choice just to feel like I did something.",
                    "It's not that I can't do math; it's that every option seems to come with a catch that nobody explains until after you've signed.",
                    "When I try to talk about it at home the conversation goes in circles, and we end up agreeing to deal with it later, which never comes.",
                    "I feel " + emotion + " just describing it, which probably tells you something about how long I've been carrying this around.")
                    + " " + fresh("detail",
                    "If it helps, I'm fine with small steps; I just need to know the steps are pointed in the right direction.",
                    "I'd rather understand the reasoning than be handed a rule, because rules I don't understand are the ones I end up breaking.",
                    "I can set aside some time each week for this, maybe an hour on Sunday evenings, if I know what to do with that hour.",
                    "I've written down a few numbers before coming here, although I'm not sure they're the ones that matter.",
                    "I don't need it to be perfect. I need it to be something I can actually stick with for more than a month.",
                    "Please be honest with me, even if the honest answer is that I've been going about this the wrong way.")
                    + " " + fresh("history",
                    "The last time I tried to get organized about money I bought a budgeting app, used it for three weeks, and then let the subscription renew for a year without opening it once, which still makes me wince a little.",
                    "Growing up, money was something the adults argued about behind closed doors, so nobody ever showed me how any of this is supposed to work, and I've been piecing it together from podcasts and guesswork.",
                    "A few years ago I made a decision about money in a hurry because someone told me it was a good idea, and I've been second-guessing myself ever since, so now I tend to freeze instead of acting.",
                    "I've been meaning to deal with this since the start of the year. It's been on my list every week, and every week something more urgent pushes it down, and then I feel " + emotion + " about not having done it.",
                    "When I compare myself to people I know, it feels like everyone else figured this out in their twenties, which I know probably isn't true, but it's hard to shake that feeling once it starts.",
                    "I've read enough to know there are a dozen ways to handle " + term + ", and that's part of the problem: every option sounds reasonable when I read about it and terrible when I imagine actually choosing it.")
                    + " " + fresh("hope",
                    "What I would really like to walk away with is a sense that there is a plan, even a rough one, and that I am not just reacting to whatever lands in the mailbox each month.",
                    "If I am honest, what I want most is to stop feeling a knot in my stomach every time " + term + " comes up, and to be able to talk about it without getting defensive.",
                    "My hope is to understand this well enough that I could explain it to someone else, because that is usually when I know I actually get something.",
                    "Ideally I would leave here knowing which two or three things to do first and which things I can safely ignore for now, because right now everything feels equally urgent.",
                    "I want to feel like the money is working for the life we want rather than the other way around, and I think that starts with understanding " + term + " properly.",
                    "More than anything, I would like to stop postponing this. I think if I had one clear next step, I would actually take it, which is not something I can say today.");
        }

        String assistantBody(String emotion, String term, boolean closing) {
            long month = monthlyIncome();
            String tenth = money(month / 10);
            String twentieth = money(month / 20);
            return fresh("normalize",
                    "Many of the people I work with describe exactly what you are describing, and almost none of them started out with a clear picture; clarity is something we build, not something you were supposed to have already.",
                    "You are not behind in some way that can't be fixed. Most households never sit down and look at " + term + " at all, so the fact that you are here puts you ahead of where you think you are.",
                    "There is nothing unusual about finding this confusing. The industry explains " + term + " in a language built for professionals, and that is a problem with the explanations, not with you.",
                    "Feeling " + emotion + " around money is not a sign that something is wrong with you; it is a sign that you care about the people who depend on these decisions.",
                    "Plenty of thoughtful, capable people freeze when they look at " + term + ", because the stakes feel high and the information is scattered across a dozen places.")
                    + " " + fresh("why",
                    "The reason " + term + " matters is simple: it decides how much flexibility you will have later, when life changes in ways none of us can plan for.",
                    "Here is the why before the what: " + term + " is really a question about trade-offs between what you need now and what you want to protect later.",
                    "Underneath " + term + " is one idea, which is that a decision made on purpose, even a modest one, tends to beat a better decision that keeps being postponed.",
                    "What we are really looking for with " + term + " is a setting that still works in a bad month, not only in a good one.",
                    "The goal with " + term + " is not to maximize every dollar; it is to make sure the money you have is doing the job you actually want it to do.")
                    + " " + fresh("numbers",
                    "To make it concrete with your numbers: on about " + income + " a year, you have roughly " + money(month) + " a month coming in, so even " + twentieth + " a month directed on purpose is a real start.",
                    "Let's put a number on it. Setting aside about " + tenth + " a month, roughly a tenth of what comes in each month, adds up to more than " + money(month / 10 * 12) + " over a year without changing how you live day to day.",
                    "With roughly " + money(month) + " arriving each month, the question is not whether you can afford to start, but which " + twentieth + " or " + tenth + " you are comfortable redirecting first.",
                    "If we picture your monthly income of about " + money(month) + " as a pie, we are only talking about deciding what one thin slice is for, not rebuilding the whole budget.",
                    "A useful rule of thumb here is to test a change at about " + twentieth + " a month for ninety days; if it feels fine, we raise it, and if it pinches, we learn something without any damage.")
                    + " " + fresh("example",
                    "One way to picture it is like setting the thermostat in a house: you pick a sensible temperature, check it now and then, and adjust when the season changes, rather than standing next to it all day.",
                    "Think of it as building a trail rather than a highway; the first version only has to be walkable, and we can widen it once we know where it needs to go.",
                    "A client of mine once described it as cleaning out a garage: overwhelming when you look at the whole thing, surprisingly manageable when you take one shelf at a time.",
                    "It can help to think of the money as having jobs. Some of it pays the bills, some of it protects you, and some of it grows, and " + term + " is about giving one of those jobs a clear owner.",
                    "Picture two versions of you a year from now: one who made a small, imperfect choice today and one who waited for perfect information. The first one is almost always in the better spot.")
                    + " " + fresh("step",
                    closing ? "Before our next conversation, the only thing I would ask is that you look at last month's statements and mark anything that surprised you, nothing more than that."
                            : "If it's all right with you, the next thing I would like to do is look at the one or two numbers that drive most of this, so we are not trying to solve everything at once.",
                    closing ? "I will put what we agreed into a short written summary, with the first step at the top, so you don't have to hold it all in your head."
                            : "May I walk you through how I would approach this if I were sitting at your kitchen table? It is only three steps, and you can stop me at any of them.",
                    closing ? "Let's keep the first step small enough that you could do it this weekend, because momentum matters more than size at the beginning."
                            : "Before I suggest anything, I would like to understand what a good outcome looks like for you, because the right answer depends on that more than on any formula.",
                    closing ? "We will check in on how it felt, not only on what the numbers did, because how it feels decides whether it lasts."
                            : "I would suggest we separate the decisions that are urgent from the ones that only feel urgent, and most of " + term + " sits in the second group.",
                    closing ? "You can also send me a note if something comes up before then; changing the plan is part of the plan."
                            : "It would help me to know which part of this worries you most, because that is where we should spend our time first.")
                    + " " + fresh("progress",
                    "And I want to point out that asking these questions is already progress; it is the part most people skip.",
                    "You have already done something important today by putting the worry into words, which makes it something we can work on.",
                    "Whatever we decide, it will be a decision that fits your life and your values rather than a rule from a headline.",
                    "We will go at a pace that feels manageable, and nothing we set up today is locked in forever.",
                    "It is worth noticing how clearly you described your situation; that kind of honesty makes this work much easier.")
                    + " " + fresh("advice",
                    "There are really three questions hiding inside " + term + ": how much, where it goes, and what would make you change course. When we answer them in that order, each answer makes the next one easier, and the whole thing stops feeling like one giant decision that has to be right the first time.",
                    "A common pattern I see is that people treat " + term + " as a test they can pass or fail. It is much more useful to treat it as a setting you review once or twice a year, the same way you would check the tires on a car before a long drive, so that no single choice has to carry all the weight.",
                    "One thing that tends to surprise people is how much of the benefit comes from consistency rather than cleverness. A plain, automatic arrangement that runs every month usually does better over five years than a sophisticated plan that only gets attention when something goes wrong.",
                    "It also helps to decide in advance what you will do when things go badly, because that is when it is hardest to think clearly. If we agree now that a rough month means pausing rather than abandoning the plan, the plan survives the rough month, and that is most of the battle.",
                    "I would also keep one simple number in view rather than ten complicated ones. For most households that number is how many months of essential spending you could cover if income stopped, and almost every decision about " + term + " gets clearer once we know it.")
                    + " " + fresh("reassure",
                    "None of this requires you to become an expert; that is my job, and your job is to tell me what matters to you and whether the plan still feels right as we go.",
                    "If at any point something I say does not fit your situation, please push back, because a plan that looks good on paper but does not fit your life is not a good plan.",
                    "We can revisit every part of this as your situation changes, and it will change, because that is what life does; the plan is meant to bend, not to break.",
                    "I will explain every term I use in plain language, and if I slip into jargon, stop me, because you should never have to nod along to something you do not understand.",
                    "Whatever you decide, you will decide it with the full picture in front of you, which is a very different feeling from deciding in the dark.")
                    + " " + fresh("practical",
                    "In practical terms, the first move is usually to make the good choice the automatic one: a transfer scheduled for the day after payday, a separate account with a name that says what it is for, and a reminder to look at it once a quarter. That way the plan keeps working in the months when you are busy, tired or distracted, which is most months for most people.",
                    "Practically, I would start by listing what you already have, even roughly: accounts, balances, anything coming out automatically, and any debts with their rates. It usually takes about an hour, it is rarely as bad as people fear, and it turns a vague cloud of worry into a short list we can work through one line at a time.",
                    "On the practical side, it is worth checking what your employer or bank already offers before adding anything new, because people often have options sitting unused that cost nothing extra. We can look at those together, and I will translate the fine print into plain language as we go.",
                    "A practical safeguard I like is a simple rule for surprises: if an unexpected bill arrives, it comes out of a buffer we set up for that purpose, not out of the plan itself. That one rule stops a single bad month from undoing several good ones, and it takes a lot of pressure off each decision.",
                    "What tends to work in practice is choosing one change, running it for a full quarter, and only then adding the next one. It feels slow, but it means every step has been tested in real life before we build on it, and you get to see progress instead of just hoping for it.")
                    + " " + fresh("check",
                    "How does that land for you so far, and is there any part of it that feels unrealistic for your household right now?",
                    "Does that match what you were hoping to get out of today, or is there something more pressing we should put first?",
                    "I have given you quite a lot to take in; which part would you like me to slow down on or explain differently?",
                    "Is there anything in what I have described that makes you feel more " + emotion + " rather than less, so we can deal with that directly?",
                    "Before we go further, would it help to pause and write down the two or three points that felt most useful, in your own words?");
        }

        private long monthlyIncome() {
            return Math.max(1, Long.parseLong(income.replaceAll("[^0-9]", "")) / 12);
        }

        private static String money(long dollars) {
            return "$" + NumberFormat.getIntegerInstance(Locale.US).format(Math.round(dollars / 10.0) * 10);
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

    /** Lower case for use inside a sentence, keeping acronyms such as IRA or ESG: "Roth IRA Conversion" -> "roth IRA conversion". */
    private static String lowerFirst(String s) {
        if (s == null || s.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        for (String word : s.split(" ", -1)) {
            if (!out.isEmpty()) out.append(' ');
            boolean acronym = word.length() > 1 && word.chars().filter(Character::isLetter).allMatch(Character::isUpperCase);
            out.append(acronym ? word : word.toLowerCase(Locale.ROOT));
        }
        return out.toString();
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

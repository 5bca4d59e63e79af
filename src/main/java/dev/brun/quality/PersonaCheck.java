package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;
import dev.brun.pack.Pack;
import dev.brun.pack.Persona;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts the user states about themself (age, gender, partner and children, occupation, income) against
 * the persona. Only first-person statements count: "my parents are 80" says nothing about the user.
 */
public final class PersonaCheck implements Check {
    public static final String CODE = "persona_mismatch";
    private static final int AGE_TOLERANCE = 2;
    private static final double INCOME_TOLERANCE = 0.15;
    private static final double HOUSEHOLD_FACTOR = 2.5;

    private static final Pattern AGE = Pattern.compile(
            "\\b(?:(?:i'm|i am|i just turned|i turned)\\s+(\\d{2})(?:\\s*(?:-|\\s)\\s*years?(?:\\s*-\\s*|\\s+)old)?|(?:as a|i'm a|i am a)\\s+(\\d{2})\\s*-?\\s*years?\\s*-?\\s*old)(?![\\d,.]*\\s*(?:%|k\\b|percent|years? (?:in|into|of|at|ago|from|away|left|until|to)|months?|weeks?|days?|hours?|minutes?|times?|grand|dollars|thousand))\\b");
    private static final Pattern GENDER = Pattern.compile(
            "\\b(?:as a|i'm a|i am a|being a)\\s+(?:single\\s+|working\\s+|\\d{2}[- ]year[- ]old\\s+)?(woman|man|guy|mom|mother|dad|father|wife|husband)\\b");
    private static final Pattern PARTNER = Pattern.compile("\\b(?:my|our)\\s+(wife|husband|spouse|partner|fianc[ée]e?|marriage)\\b");
    private static final Pattern SINGLE = Pattern.compile("\\b(?:i'm|i am)\\s+(?:still\\s+|currently\\s+)?(single|divorced|widowed|not married)\\b");
    private static final Pattern KIDS = Pattern.compile("\\b(?:my|our)\\s+(?:\\w+\\s+)?(kids|children|son|daughter|sons|daughters|toddler|teenager)\\b");
    private static final Pattern NO_KIDS = Pattern.compile("\\b(?:(?:we|i) (?:don't|do not) have (?:any )?(?:kids|children)|no kids|childless|child-free)\\b");
    private static final Pattern OCCUPATION = Pattern.compile(
            "\\b(?:as a|as an|i'm a|i'm an|i am a|i am an|i work as a|i work as an)\\s+((?:[a-z-]+\\s+){0,2}[a-z-]+)");
    private static final Pattern INCOME = Pattern.compile(
            "\\b(?:i make|i earn|i'm making|i am making|i'm earning|i bring home|i take home|i bring in|my salary is|my income is|my salary's|i get paid)\\b[^.?!$\\d]{0,25}\\$?\\s?(\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?)\\s*(k|K|thousand)?(?:\\s*(?:a|per|/)\\s*(month|year|yr|mo))?");
    private static final Pattern HOUSEHOLD_INCOME = Pattern.compile(
            "\\b(?:(?:our|household|combined)\\s+(?:annual\\s+|total\\s+|household\\s+)?(?:income|salary|salaries)|we make|we earn|we bring in)(?:\\s+is|\\s+of|'s)?(?:\\s+(?:around|about|roughly|nearly|almost|just under|just over|over|under))?[^.?!$\\d]{0,12}\\$\\s?(\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?)\\s*(k|K|thousand)?");
    private static final List<String> INCOME_WORDS = List.of("i make", "i earn", "making", "earning", "i bring", "i take home",
            "salary", "income", "paid", "we make", "we earn", "we bring");
    private static final Set<String> OCCUPATIONS = Set.of("teacher", "nurse", "engineer", "developer", "programmer", "doctor",
            "physician", "lawyer", "attorney", "accountant", "manager", "designer", "consultant", "contractor", "electrician",
            "plumber", "firefighter", "police", "officer", "pharmacist", "dentist", "architect", "professor", "librarian",
            "social", "worker", "analyst", "scientist", "salesperson", "realtor", "chef", "mechanic", "pilot", "veterinarian",
            "therapist", "retiree", "student", "founder", "entrepreneur", "executive", "director", "administrator", "clerk");

    @Override public List<String> codes() { return List.of(CODE); }

    @Override
    public List<QualityFlag> check(Conversation c, Pack pack) {
        if (c.scaffolding() == null) return List.of();
        var found = pack.persona(c.scaffolding().personaKey());
        if (found.isEmpty()) return List.of();
        Persona p = found.get();
        List<QualityFlag> flags = new ArrayList<>();
        FamilyFacts familyFacts = p.family() == null ? null : FamilyFacts.of(p.family());
        for (Turn t : c.userTurns()) {
            String text = t.content() == null ? "" : t.content().toLowerCase(Locale.ROOT).replace('’', '\'');
            // cheap tests first: the patterns below try every position of the text
            boolean digits = text.chars().anyMatch(Character::isDigit);
            boolean selfDescription = text.contains("as a") || text.contains("i'm a") || text.contains("i am a") || text.contains("being a")
                    || text.contains("i work as");
            if (digits) age(p, text, t.index(), flags);
            if (selfDescription) gender(p, text, t.index(), flags);
            if (familyFacts != null) family(p, familyFacts, text, t.index(), flags);
            if (selfDescription) occupation(p, text, t.index(), flags);
            if (digits) income(p, text, t.index(), flags);
        }
        return flags;
    }

    private static void age(Persona p, String text, int turn, List<QualityFlag> flags) {
        if (!(text.contains("i'm ") || text.contains("i am ") || text.contains("turned ") || text.contains("year"))) return;
        Matcher m = AGE.matcher(text);
        while (m.find()) {
            int said = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
            if (said < 16 || said > 99) continue;
            if (Math.abs(said - p.age()) > AGE_TOLERANCE) {
                flags.add(flag("The user says " + Words.quote(m.group(), 40) + " but " + p.name() + " is " + p.age(), turn));
                return;
            }
        }
    }

    private static void gender(Persona p, String text, int turn, List<QualityFlag> flags) {
        if (p.gender() == null) return;
        Matcher m = GENDER.matcher(text);
        while (m.find()) {
            String said = switch (m.group(1)) {
                case "woman", "mom", "mother", "wife" -> "female";
                default -> "male";
            };
            String persona = p.gender().toLowerCase(Locale.ROOT);
            boolean personaFemale = persona.startsWith("f") || persona.startsWith("w");
            boolean personaMale = persona.startsWith("m");
            if ((said.equals("female") && personaMale) || (said.equals("male") && personaFemale)) {
                flags.add(flag("The user says " + Words.quote(m.group(), 40) + " but " + p.name() + " is " + p.gender(), turn));
                return;
            }
        }
    }

    /** What the persona's family line allows, read once per conversation rather than once per turn. */
    private record FamilyFacts(boolean mayBePartnered, boolean mayBeSingle, boolean mayHaveKids, boolean mayHaveNoKids) {
        private static final Pattern PARTNERED = Pattern.compile("\\b(married|partner|partnership|spouse|couple|wife|husband|engaged)\\b");
        private static final Pattern COUPLED = Pattern.compile("\\b(married|partner|partnership|spouse|couple|engaged)\\b");
        private static final Pattern UNPARTNERED = Pattern.compile("\\b(single|divorced|widowed)\\b");
        private static final Pattern CHILDLESS = Pattern.compile("\\b(without (kids|children)|no (kids|children)|childless)\\b");
        private static final Pattern PARENT = Pattern.compile("\\b(with (kids|children|a child)|(has|have) (kids|children)|parent|mother|father|mom|dad)\\b");

        static FamilyFacts of(String family) {
            String fam = family.toLowerCase(Locale.ROOT);
            boolean unpartnered = UNPARTNERED.matcher(fam).find();
            boolean noKidsStated = CHILDLESS.matcher(fam).find();
            boolean kidsStated = PARENT.matcher(fam).find();
            // "single or married without kids": the "or" offers marital alternatives, children are ruled out in both
            return new FamilyFacts(PARTNERED.matcher(fam).find() || !unpartnered, unpartnered || !COUPLED.matcher(fam).find(),
                    kidsStated || !noKidsStated, noKidsStated || !kidsStated);
        }
    }

    private static void family(Persona p, FamilyFacts f, String text, int turn, List<QualityFlag> flags) {
        Matcher m;
        if (!f.mayBePartnered() && (m = PARTNER.matcher(text)).find()) {
            flags.add(flag("The user mentions " + Words.quote(m.group(), 30) + " but " + p.name() + " is " + p.family(), turn));
        } else if (!f.mayBeSingle() && (m = SINGLE.matcher(text)).find()) {
            flags.add(flag("The user says " + Words.quote(m.group(), 30) + " but " + p.name() + " is " + p.family(), turn));
        } else if (!f.mayHaveKids() && (m = KIDS.matcher(text)).find()) {
            flags.add(flag("The user mentions " + Words.quote(m.group(), 30) + " but " + p.name() + " is " + p.family(), turn));
        } else if (!f.mayHaveNoKids() && (m = NO_KIDS.matcher(text)).find()) {
            flags.add(flag("The user says " + Words.quote(m.group(), 30) + " but " + p.name() + " is " + p.family(), turn));
        }
    }

    private static void occupation(Persona p, String text, int turn, List<QualityFlag> flags) {
        if (p.occupation() == null || p.occupation().isBlank()) return;
        String persona = p.occupation().toLowerCase(Locale.ROOT);
        Matcher m = OCCUPATION.matcher(text);
        while (m.find()) {
            List<String> words = Words.of(m.group(1));
            String job = words.stream().filter(OCCUPATIONS::contains).findFirst().orElse(null);
            if (job == null || job.equals("social") || job.equals("worker")) continue;
            if (!persona.contains(job)) {
                flags.add(flag("The user says " + Words.quote(m.group(), 40) + " but " + p.name() + " works as " + p.occupation(), turn));
                return;
            }
        }
    }

    private static void income(Persona p, String text, int turn, List<QualityFlag> flags) {
        if (p.incomeMax() <= 0) return;
        if (INCOME_WORDS.stream().noneMatch(text::contains)) return;
        Matcher m = INCOME.matcher(text);
        while (m.find()) {
            double amount = Double.parseDouble(m.group(1).replace(",", ""));
            if (m.group(2) != null) amount *= 1000;
            String per = m.group(3);
            if (per != null && per.startsWith("mo")) amount *= 12;
            if (amount < 10_000) continue;
            if (amount < p.incomeMin() * (1 - INCOME_TOLERANCE) || amount > p.incomeMax() * (1 + INCOME_TOLERANCE)) {
                flags.add(flag(String.format("The user says %s (about $%,.0f a year) but %s earns %s", Words.quote(m.group(), 50),
                        amount, p.name(), p.incomeRange()), turn));
                return;
            }
        }
        // a partner's pay can add to a household figure, so only a household income far beyond the range contradicts
        Matcher h = HOUSEHOLD_INCOME.matcher(text);
        while (h.find()) {
            double amount = Double.parseDouble(h.group(1).replace(",", ""));
            if (h.group(2) != null) amount *= 1000;
            if (amount < 10_000) continue;
            if (amount > p.incomeMax() * HOUSEHOLD_FACTOR) {
                flags.add(flag(String.format("The user says %s (household) but %s earns %s", Words.quote(h.group(), 50),
                        p.name(), p.incomeRange()), turn));
                return;
            }
        }
    }

    private static QualityFlag flag(String reason, int turn) {
        return QualityFlag.of(CODE, Severity.ERROR, reason, turn);
    }
}

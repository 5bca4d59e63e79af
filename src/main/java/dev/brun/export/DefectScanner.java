package dev.brun.export;

import dev.brun.pack.Pack;
import dev.brun.quality.TruncationCheck;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds content defects in the pairs of an imported file (the kinds in {@link DefectKind}). */
final class DefectScanner {
    /** "Age 42" at the start of a client background. */
    private static final Pattern BACKGROUND_AGE = Pattern.compile("\\bAge\\s+(\\d{2})\\b|\\b(\\d{2})\\s*(?:yo|y/o|years? old)\\b",
            Pattern.CASE_INSENSITIVE);
    /** "I'm 52", "I am 52 years old"; not "I'm 8 years into my career" (two digits, and no "years into"). */
    private static final Pattern STATED_AGE = Pattern.compile("\\bI(?:'m|’m| am) (\\d{2})(?!\\d)(?!\\s+(?:years?|months?|weeks?|days?|%|percent)\\s+(?!old))");

    static final int CONSTANT_SCORE_MIN_PAIRS = 10;

    private final Pack pack;

    DefectScanner(Pack pack) { this.pack = pack; }

    DefectReport scan(Path file, List<Importer.RawConversation> conversations, List<RawPair> pairs, List<String> schemaViolations) {
        Map<DefectKind, Found> found = new EnumMap<>(DefectKind.class);
        Set<String> personaKeys = new HashSet<>();
        conversations.forEach(c -> { if (c.personaKey() != null) personaKeys.add(c.personaKey()); });
        pairs.forEach(p -> { if (p.personaKey() != null) personaKeys.add(p.personaKey()); });
        if (pack != null) pack.personas().forEach(p -> personaKeys.add(p.key()));

        Map<String, Integer> idCounts = new LinkedHashMap<>();
        pairs.forEach(p -> idCounts.merge(p.id(), 1, Integer::sum));
        for (RawPair p : pairs) {
            if (!p.hasTarget()) found(found, DefectKind.NULL_TARGET).add(p.id() + " (" + p.where() + ")");
            int n = idCounts.get(p.id());
            if (n > 1) found(found, DefectKind.DUPLICATE_PAIR_ID).addUnique(p.id() + " ×" + n);
            List<RawPair.HistoryTurn> h = p.history();
            if (!h.isEmpty() && "user".equals(h.getLast().role()) && p.input().equals(h.getLast().content()))
                found(found, DefectKind.DUPLICATED_HISTORY_TURN).add(p.id() + " (" + p.where() + ")");
            if (p.hasTarget() && looksTruncated(p.target()))
                found(found, DefectKind.TRUNCATED_REPLY).add(p.id() + ": …" + tail(p.target()));
            if (p.emotion() != null && p.emotion().valence() != null && !Importer.standardValence(p.emotion().valence()))
                found(found, DefectKind.NONSTANDARD_VALUE).add(p.id() + ": valence '" + p.emotion().valence() + "' read as "
                        + Importer.valence(p.emotion().valence()).wire());
            for (RawPair.HistoryTurn h2 : p.history())
                if (h2.emotion() != null && h2.emotion().valence() != null && !Importer.standardValence(h2.emotion().valence()))
                    found(found, DefectKind.NONSTANDARD_VALUE).add(p.id() + " history: valence '" + h2.emotion().valence() + "'");
            String topic = p.topicKey();
            if (p.learningObjective() != null && topic != null && p.learningObjective().equals(topic))
                found(found, DefectKind.LEARNING_OBJECTIVE_IS_TOPIC_KEY).add(p.id() + ": " + topic);
            if (!p.skills().isEmpty() && personaKeys.containsAll(p.skills()))
                found(found, DefectKind.SKILLS_ARE_PERSONA_KEYS).add(p.id() + ": " + p.skills());
        }
        List<RawPair> scored = pairs.stream().filter(p -> p.qualityScore() != null).toList();
        // A hand-written seed of four excellent pairs may honestly score 5 throughout; a whole file cannot.
        if (conversations.size() > 1 && scored.size() >= CONSTANT_SCORE_MIN_PAIRS && scored.stream().mapToDouble(RawPair::qualityScore).distinct().count() == 1) {
            Found f = found(found, DefectKind.CONSTANT_QUALITY_SCORE);
            f.count = scored.size();
            f.examples.add("all " + scored.size() + " scored pairs have quality_score " + scored.getFirst().qualityScore());
        }
        for (Importer.RawConversation c : conversations) {
            String contradiction = ageContradiction(c);
            if (contradiction != null) found(found, DefectKind.PERSONA_CONTRADICTION).add(c.id() + ": " + contradiction);
            if (pack != null) {
                if (c.personaKey() == null || pack.persona(c.personaKey()).isEmpty())
                    found(found, DefectKind.UNKNOWN_PERSONA).add(c.id() + ": " + c.personaKey());
                if (c.arcKey() == null || pack.arc(c.arcKey()).isEmpty())
                    found(found, DefectKind.UNKNOWN_ARC).add(c.id() + ": " + c.arcKey());
                if (c.topicKey() == null || pack.topic(c.topicKey()).isEmpty())
                    found(found, DefectKind.UNKNOWN_TOPIC).add(c.id() + ": " + c.topicKey());
            }
        }
        for (String v : schemaViolations) found(found, DefectKind.SCHEMA_VIOLATION).add(v);

        Map<DefectKind, DefectReport.Defect> defects = new EnumMap<>(DefectKind.class);
        found.forEach((k, f) -> defects.put(k, new DefectReport.Defect(k, f.count, f.examples)));
        return new DefectReport(file, defects);
    }

    /** The age in the client background against every age the user states in the conversation. */
    static String ageContradiction(Importer.RawConversation c) {
        String background = c.pairs().stream().map(RawPair::clientBackground).filter(b -> b != null && !b.isBlank()).findFirst().orElse(null);
        if (background == null) return null;
        Matcher bm = BACKGROUND_AGE.matcher(background);
        if (!bm.find()) return null;
        String age = bm.group(1) != null ? bm.group(1) : bm.group(2);
        for (RawPair p : c.pairs()) {
            Matcher m = STATED_AGE.matcher(p.input());
            while (m.find())
                if (!m.group(1).equals(age)) return "background says age " + age + ", the user says \"" + m.group() + "\"";
        }
        return null;
    }

    /** The same test brun check applies (one implementation, so the report and check agree). */
    static boolean looksTruncated(String reply) {
        return reply.isBlank() || TruncationCheck.reason(reply) != null;
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() <= 40 ? t : t.substring(t.length() - 40);
    }

    private static Found found(Map<DefectKind, Found> map, DefectKind kind) { return map.computeIfAbsent(kind, k -> new Found()); }

    private static final class Found {
        int count;
        final List<String> examples = new ArrayList<>();
        private final Set<String> unique = new HashSet<>();

        void add(String example) {
            count++;
            if (examples.size() < DefectReport.MAX_EXAMPLES) examples.add(example);
        }

        /** Counts every occurrence but shows each distinct example once. */
        void addUnique(String example) {
            count++;
            if (unique.add(example) && examples.size() < DefectReport.MAX_EXAMPLES) examples.add(example);
        }
    }
}

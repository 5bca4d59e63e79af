package dev.brun.pack;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the files of one pack into records, recording every problem on the way. It checks each file on its
 * own (keys, types, ranges); {@link PackChecks} then checks the files against each other.
 */
final class PackReader {
    static final String PACK_INFO = "pack.yaml";
    static final String CONSULTANT = "consultant.yaml";
    static final String PERSONAS = "personas";
    static final String ARCS = "arcs";
    static final String TOPICS = "topics.yaml";
    static final String RULES = "rules.yaml";
    static final List<String> COMPLEXITIES = List.of("beginner", "intermediate", "advanced");

    /** pack.yaml: optional name and description. */
    record Info(String name, String description) {}

    /** rules.yaml with the positions the cross-file checks point at. */
    record RulesRead(Rules rules, List<Located<Exclusion>> exclusions, Map<String, Location> minimumLocations,
                     Map<Phase, Location> maxTurnsLocations) {}

    record Located<T>(T value, Map<String, Location> locations) {}

    private final PackSource source;
    private final Problems problems;

    PackReader(PackSource source, Problems problems) {
        this.source = source;
        this.problems = problems;
    }

    private Optional<YamlMap> mapFile(String file, boolean required) {
        Optional<String> text = source.read(file);
        if (text.isEmpty()) {
            if (required) problems.add(Location.startOf(file), "(file)", "file is missing; "
                    + "every pack needs " + CONSULTANT + ", " + PERSONAS + "/, " + ARCS + "/, " + TOPICS + " and " + RULES);
            return Optional.empty();
        }
        Optional<Node> root = YamlDocument.parse(file, text.get(), problems);
        if (root.isEmpty()) {
            if (text.get().isBlank()) problems.add(Location.startOf(file), "(document)", "file is empty");
            return Optional.empty();
        }
        return YamlMap.of(file, "", root.get(), problems);
    }

    Info info() {
        Optional<YamlMap> m = mapFile(PACK_INFO, false);
        if (m.isEmpty()) return new Info(source.defaultName(), null);
        YamlMap y = m.get();
        String name = y.optionalString("name");
        String description = y.optionalString("description");
        y.rejectUnknownKeys();
        return new Info(name == null ? source.defaultName() : name, description);
    }

    Consultant consultant() {
        Optional<YamlMap> m = mapFile(CONSULTANT, true);
        if (m.isEmpty()) return null;
        YamlMap y = m.get();
        String name = y.string("name");
        String credentials = y.optionalString("credentials");
        String business = y.string("business");
        String vertical = y.identifier("vertical");
        List<String> expertise = y.strings("expertise", 1);
        Integer years = y.integer("years_experience", 0, 70);
        List<Principle> principles = new ArrayList<>();
        boolean principlesOk = true;
        List<String> principleKeys = new ArrayList<>();
        for (YamlMap p : y.maps("principles", true, 1)) {
            String key = p.identifier("key");
            String pname = p.string("name");
            String description = p.string("description");
            p.rejectUnknownKeys();
            if (key != null && principleKeys.contains(key)) {
                problems.add(p.locationOf("key"), p.field("key"), "principle key '" + key + "' is used twice; keys must be unique");
                principlesOk = false;
            }
            if (key != null) principleKeys.add(key);
            if (key == null || pname == null || description == null) principlesOk = false;
            else principles.add(new Principle(key, pname, description));
        }
        List<String> tone = y.strings("tone", 1);
        List<String> techniques = y.strings("techniques", 1);
        List<String> avoid = y.strings("avoid", 1);
        y.rejectUnknownKeys();
        if (name == null || business == null || vertical == null || expertise == null || years == null
                || !principlesOk || principles.isEmpty() || tone == null || techniques == null || avoid == null) {
            return null;
        }
        return new Consultant(name, credentials, business, vertical, expertise, years, principles, tone, techniques, avoid);
    }

    List<Keyed<Persona>> personas() {
        List<Keyed<Persona>> out = new ArrayList<>();
        List<String> files = source.yamlFiles(PERSONAS);
        if (files.isEmpty()) {
            problems.add(Location.startOf(PERSONAS + "/"), "(folder)", "no persona files; add one YAML file per persona to "
                    + PERSONAS + "/ (e.g. " + PERSONAS + "/overwhelmed_avoider.yaml)");
        }
        for (String file : files) mapFile(file, true).ifPresent(y -> out.add(persona(y)));
        return out;
    }

    private Keyed<Persona> persona(YamlMap y) {
        String key = y.identifier("key");
        String name = y.string("name");
        String archetype = y.identifier("archetype");
        Integer age = y.integer("age", 18, 110);
        String gender = y.string("gender");
        String location = y.string("location");
        String family = y.string("family");
        String occupation = y.string("occupation");
        Integer incomeMin = null;
        Integer incomeMax = null;
        Optional<YamlMap> income = y.map("income", true);
        if (income.isPresent()) {
            YamlMap i = income.get();
            incomeMin = i.integer("min", 0, Integer.MAX_VALUE);
            incomeMax = i.integer("max", 0, Integer.MAX_VALUE);
            i.rejectUnknownKeys();
            if (incomeMin != null && incomeMax != null && incomeMin > incomeMax) {
                problems.add(i.locationOf("min"), i.field("min"), "min " + incomeMin + " is larger than max " + incomeMax);
                incomeMin = null;
            }
        }
        String situation = y.string("financial_situation");
        String baseline = y.string("emotional_baseline");
        String style = y.string("communication_style");
        List<String> phrases = y.strings("typical_phrases", 1);
        List<String> goals = y.strings("goals", 1);
        y.rejectUnknownKeys();
        Persona persona = null;
        if (key != null && name != null && archetype != null && age != null && gender != null && location != null
                && family != null && occupation != null && incomeMin != null && incomeMax != null && situation != null
                && baseline != null && style != null && phrases != null && goals != null) {
            persona = new Persona(key, name, archetype, age, gender, location, family, occupation, incomeMin, incomeMax,
                    situation, baseline, style, phrases, goals);
        }
        return new Keyed<>(key, y.locationOf("key"), persona);
    }

    List<Keyed<Arc>> arcs() {
        List<Keyed<Arc>> out = new ArrayList<>();
        List<String> files = source.yamlFiles(ARCS);
        if (files.isEmpty()) {
            problems.add(Location.startOf(ARCS + "/"), "(folder)", "no arc files; add one YAML file per emotional arc to "
                    + ARCS + "/ (e.g. " + ARCS + "/confusion_to_clarity.yaml)");
        }
        for (String file : files) mapFile(file, true).ifPresent(y -> out.add(arc(y)));
        return out;
    }

    /** start: / end: of an arc. The primary emotion always belongs to its own family. */
    private record EmotionPoint(String emotion, double intensity, List<String> family) {}

    private EmotionPoint emotionPoint(YamlMap arc, String key) {
        Optional<YamlMap> m = arc.map(key, true);
        if (m.isEmpty()) return null;
        YamlMap y = m.get();
        String emotion = y.identifier("emotion");
        Double intensity = y.number("intensity", 0.0, 1.0);
        List<String> family = y.strings("family", 0);
        y.rejectUnknownKeys();
        if (emotion == null || intensity == null || family == null) return null;
        List<String> withPrimary = new ArrayList<>();
        withPrimary.add(emotion);
        family.stream().filter(f -> !withPrimary.contains(f)).forEach(withPrimary::add);
        return new EmotionPoint(emotion, intensity, withPrimary);
    }

    private Keyed<Arc> arc(YamlMap y) {
        String key = y.identifier("key");
        String name = y.string("name");
        String categoryText = y.choice("category", true, List.of("core", "edge"));
        EmotionPoint start = emotionPoint(y, "start");
        EmotionPoint end = emotionPoint(y, "end");
        Integer min = null;
        Integer max = null;
        Optional<YamlMap> exchanges = y.map("exchanges", true);
        if (exchanges.isPresent()) {
            YamlMap e = exchanges.get();
            min = e.integer("min", 1, 50);
            max = e.integer("max", 1, 50);
            e.rejectUnknownKeys();
            if (min != null && max != null && min > max) {
                problems.add(e.locationOf("min"), e.field("min"), "min " + min + " is larger than max " + max);
                min = null;
            }
        }
        List<ArcStage> stages = new ArrayList<>();
        boolean stagesOk = true;
        List<String> stageKeys = new ArrayList<>();
        List<YamlMap> stageMaps = y.maps("stages", true, 1);
        if (!y.has("stages")) stagesOk = false;
        for (YamlMap s : stageMaps) {
            String sk = s.identifier("key");
            String sn = s.string("name");
            String sd = s.string("description");
            s.rejectUnknownKeys();
            if (sk != null && stageKeys.contains(sk)) {
                problems.add(s.locationOf("key"), s.field("key"), "stage key '" + sk + "' appears twice in this arc");
                stagesOk = false;
            }
            if (sk != null) stageKeys.add(sk);
            if (sk == null || sn == null || sd == null) stagesOk = false;
            else stages.add(new ArcStage(sk, sn, sd));
        }
        String strategy = y.string("strategy");
        List<String> techniques = y.strings("techniques", 1);
        List<String> avoid = y.strings("avoid", 1);
        y.rejectUnknownKeys();
        Arc arc = null;
        if (key != null && name != null && categoryText != null && start != null && end != null && min != null
                && max != null && stagesOk && !stages.isEmpty() && strategy != null && techniques != null && avoid != null) {
            arc = new Arc(key, name, start.emotion(), start.intensity(), start.family(), end.emotion(), end.intensity(),
                    end.family(), stages, min, max, ArcCategory.valueOf(categoryText.toUpperCase(Locale.ROOT)),
                    strategy, techniques, avoid);
        }
        return new Keyed<>(key, y.locationOf("key"), arc);
    }

    List<Keyed<Topic>> topics() {
        Optional<String> text = source.read(TOPICS);
        if (text.isEmpty()) {
            problems.add(Location.startOf(TOPICS), "(file)", "file is missing; list the training topics in " + TOPICS);
            return List.of();
        }
        Optional<Node> root = YamlDocument.parse(TOPICS, text.get(), problems);
        if (root.isEmpty()) {
            if (text.get().isBlank()) problems.add(Location.startOf(TOPICS), "(document)", "file is empty; list at least one topic");
            return List.of();
        }
        List<Keyed<Topic>> out = new ArrayList<>();
        for (YamlMap y : YamlMap.mapsOf(TOPICS, "topics", root.get(), problems, 1)) {
            String key = y.identifier("key");
            String name = y.string("name");
            String category = y.identifier("category");
            String description = y.string("description");
            String complexity = y.choice("complexity", true, COMPLEXITIES);
            List<String> keyTerms = y.strings("key_terms", 1);
            y.rejectUnknownKeys();
            Topic topic = key != null && name != null && category != null && description != null && complexity != null
                    && keyTerms != null ? new Topic(key, name, category, description, complexity, keyTerms) : null;
            out.add(new Keyed<>(key, y.locationOf("key"), topic));
        }
        return out;
    }

    RulesRead rules() {
        Optional<YamlMap> m = mapFile(RULES, true);
        if (m.isEmpty()) return null;
        YamlMap y = m.get();
        Minimums minimums = null;
        Map<String, Location> minimumLocations = new HashMap<>();
        Optional<YamlMap> mins = y.map("minimums", true);
        if (mins.isPresent()) {
            YamlMap n = mins.get();
            Integer perPersona = n.integer("per_persona", 0, 10_000_000);
            Integer perArc = n.integer("per_arc", 0, 10_000_000);
            Integer perTopic = n.integer("per_topic", 0, 10_000_000);
            for (String k : List.of("per_persona", "per_arc", "per_topic")) minimumLocations.put(k, n.locationOf(k));
            n.rejectUnknownKeys();
            if (perPersona != null && perArc != null && perTopic != null) minimums = new Minimums(perPersona, perArc, perTopic);
        }
        Map<Phase, PhaseDefaults> defaults = new EnumMap<>(Phase.class);
        Map<Phase, Location> maxTurnsLocations = new EnumMap<>(Phase.class);
        boolean defaultsOk = true;
        Optional<YamlMap> phases = y.map("phase_defaults", true);
        if (phases.isPresent()) {
            YamlMap p = phases.get();
            for (Phase phase : Phase.values()) {
                Optional<YamlMap> d = p.map(phase.wire(), true);
                if (d.isEmpty()) {
                    defaultsOk = false;
                    continue;
                }
                YamlMap dm = d.get();
                String model = dm.string("model");
                Double temperature = dm.number("temperature", 0.0, 2.0);
                Integer variations = dm.integer("variations", 1, 1000);
                Integer maxTurns = dm.integer("max_turns", 2, 200);
                maxTurnsLocations.put(phase, dm.locationOf("max_turns"));
                dm.rejectUnknownKeys();
                if (model == null || temperature == null || variations == null || maxTurns == null) defaultsOk = false;
                else defaults.put(phase, new PhaseDefaults(model, temperature, variations, maxTurns));
            }
            p.rejectUnknownKeys();
        } else {
            defaultsOk = false;
        }
        List<Located<Exclusion>> exclusions = new ArrayList<>();
        boolean exclusionsOk = true;
        for (YamlMap e : y.maps("exclude", false, 0)) {
            String persona = e.has("persona") ? e.identifier("persona") : null;
            String arc = e.has("arc") ? e.identifier("arc") : null;
            String topic = e.has("topic") ? e.identifier("topic") : null;
            String reason = e.string("reason");
            e.rejectUnknownKeys();
            if (!e.has("persona") && !e.has("arc") && !e.has("topic")) {
                problems.add(e.location(), e.field("persona"), "names no persona, arc or topic, so it would exclude "
                        + "every combination; name at least one of them");
                exclusionsOk = false;
                continue;
            }
            if (reason == null) exclusionsOk = false;
            Map<String, Location> where = new HashMap<>();
            for (String k : List.of("persona", "arc", "topic")) where.put(k, e.locationOf(k));
            exclusions.add(new Located<>(new Exclusion(persona, arc, topic, reason), where));
        }
        List<String> reviewReasons = y.strings("review_reasons", 0);
        boolean reasonsOk = reviewReasons != null;
        if (reasonsOk && reviewReasons.size() > 9) {
            problems.add(y.locationOf("review_reasons"), y.field("review_reasons"), "has " + reviewReasons.size()
                    + " reasons; at most 9 fit the review page's one-digit presets (r then 1-9)");
            reasonsOk = false;
        }
        y.rejectUnknownKeys();
        Rules rules = minimums != null && defaultsOk && exclusionsOk && reasonsOk
                ? new Rules(exclusions.stream().map(Located::value).toList(), minimums, defaults, reviewReasons) : null;
        return new RulesRead(rules, exclusions, minimumLocations, maxTurnsLocations);
    }
}

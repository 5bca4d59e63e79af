package dev.brun.pack;

import dev.brun.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Loads and validates a domain pack. Every problem in every file is collected first; a pack with any
 * problem is rejected as a whole with {@link PackValidationException}, so nothing half-valid reaches a plan.
 */
public final class PackLoader {
    private PackLoader() {}

    /** A pack folder on disk. */
    public static Pack load(Path dir) {
        return load(new DirectoryPackSource(dir));
    }

    /** A pack built into the jar, by name (see {@link BuiltinPacks#names()}). */
    public static Pack loadBuiltin(String name) {
        return load(BuiltinPacks.source(name));
    }

    /** A folder when one exists at that path, otherwise a built-in pack of that name. */
    public static Pack resolve(String nameOrPath) {
        return load(source(nameOrPath));
    }

    /** The source resolve would read from; a clear error when it is neither a folder nor a built-in name. */
    public static PackSource source(String nameOrPath) {
        Path path = Path.of(nameOrPath);
        if (Files.isDirectory(path)) return new DirectoryPackSource(path);
        if (BuiltinPacks.find(nameOrPath).isPresent()) return BuiltinPacks.source(nameOrPath);
        throw new BadInputException("'" + nameOrPath + "' is neither a pack folder nor a built-in pack; "
                + "pass a folder with consultant.yaml, personas/, arcs/, topics.yaml and rules.yaml, "
                + "or one of: " + String.join(", ", BuiltinPacks.names()));
    }

    public static Pack load(PackSource source) {
        Problems problems = new Problems();
        PackReader reader = new PackReader(source, problems);
        PackReader.Info info = reader.info();
        Consultant consultant = reader.consultant();
        List<Keyed<Persona>> personas = reader.personas();
        List<Keyed<Arc>> arcs = reader.arcs();
        List<Keyed<Topic>> topics = reader.topics();
        PackReader.RulesRead rules = reader.rules();

        PackChecks checks = new PackChecks(problems);
        checks.uniqueKeys("persona", personas);
        checks.uniqueKeys("arc", arcs);
        checks.uniqueKeys("topic", topics);
        List<String> personaKeys = keys(personas);
        List<String> arcKeys = keys(arcs);
        List<String> topicKeys = keys(topics);
        if (rules != null) {
            checks.exclusionsNameKnownEntries(rules, personaKeys, arcKeys, topicKeys);
            checks.minimumsReachable(rules, personaKeys, arcKeys, topicKeys);
            checks.maxTurnsFitArcs(rules, arcs);
        }
        if (!problems.isEmpty()) throw new PackValidationException(source.describe(), problems.sorted());

        List<Persona> personaList = personas.stream().map(Keyed::value).toList();
        List<Arc> arcList = arcs.stream().map(Keyed::value).toList();
        List<Topic> topicList = topics.stream().map(Keyed::value).toList();
        String hash = PackHash.of(consultant, personaList, arcList, topicList, rules.rules());
        return new Pack(info.name(), hash, consultant, personaList, arcList, topicList, rules.rules());
    }

    /** Problems of a pack without throwing: empty when the pack is valid. */
    public static List<PackProblem> problems(PackSource source) {
        try {
            load(source);
            return List.of();
        } catch (PackValidationException e) {
            return e.problems();
        }
    }

    private static <T> List<String> keys(List<Keyed<T>> entries) {
        return entries.stream().map(Keyed::key).filter(Objects::nonNull).distinct().toList();
    }
}

package dev.brun.pack;

import dev.brun.BadInputException;
import dev.brun.WorkFailedException;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The packs shipped inside the jar. packs/index.yaml names each pack and its files, because a folder on
 * the classpath cannot be listed once it is inside a jar.
 */
public final class BuiltinPacks {
    static final String INDEX = "packs/index.yaml";

    /** One built-in pack: its name, a one-line description and its files (relative to packs/NAME/). */
    public record Entry(String name, String description, List<String> files) {
        public Entry {
            files = List.copyOf(files);
        }
    }

    private BuiltinPacks() {}

    public static List<String> names() {
        return entries().stream().map(Entry::name).toList();
    }

    public static Optional<Entry> find(String name) {
        return entries().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public static ClasspathPackSource source(String name) {
        Entry e = find(name).orElseThrow(() -> new BadInputException("there is no built-in pack named '" + name
                + "'; built-in packs: " + String.join(", ", names())));
        return new ClasspathPackSource(e.name(), e.files());
    }

    /** Reads the index; a broken index is a bug in the jar, not a user mistake. */
    public static List<Entry> entries() {
        String text = resource(INDEX).orElseThrow(() -> new WorkFailedException(
                "the jar has no " + INDEX + "; rebuild brun"));
        Problems problems = new Problems();
        List<Entry> entries = new ArrayList<>();
        Optional<Node> root = YamlDocument.parse(INDEX, text, problems);
        root.flatMap(r -> YamlMap.of(INDEX, "", r, problems)).ifPresent(index -> {
            for (YamlMap pack : index.maps("packs", true, 1)) {
                String name = pack.string("name");
                List<String> files = pack.strings("files", 1);
                pack.rejectUnknownKeys();
                if (name != null && files != null) entries.add(new Entry(name, description(name, files), files));
            }
            index.rejectUnknownKeys();
        });
        if (!problems.isEmpty()) throw new WorkFailedException(new PackValidationException(INDEX, problems.sorted()).getMessage());
        return List.copyOf(entries);
    }

    private static String description(String name, List<String> files) {
        PackReader.Info info = new PackReader(new ClasspathPackSource(name, files), new Problems()).info();
        return info.description() == null ? "" : info.description();
    }

    static Optional<String> resource(String path) {
        return ClasspathPackSource.readResource(BuiltinPacks.class.getClassLoader(), path);
    }
}

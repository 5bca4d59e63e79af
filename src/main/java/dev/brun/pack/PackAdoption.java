package dev.brun.pack;

import dev.brun.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Adds to a pack folder the arcs and topics it lacks, drafted from conversations brought from elsewhere (brun import
 * --adopt, brun pack adopt), so that coverage and plans count those conversations. The drafts are written into a
 * copy of the folder and the copy is loaded and validated like any pack; only then are the real files written, so a
 * draft that does not validate leaves the pack as it was. Arcs become new files in arcs/, topics are appended to
 * topics.yaml (the user's own text and comments stay).
 */
public final class PackAdoption {
    /**
     * An arc as imported conversations recorded it.
     *
     * @param stageKeys the consultant turns' stages, in order of first appearance
     * @param minExchanges fewest consultant replies in one of its conversations
     */
    public record ArcDraft(String key, String name, List<String> stageKeys, String startEmotion, double startIntensity,
                           String endEmotion, double endIntensity, int minExchanges, int maxExchanges, int conversations) {
        public ArcDraft {
            stageKeys = List.copyOf(stageKeys);
        }
    }

    /** A topic as imported conversations recorded it; keyTerms are words its conversations use most. */
    public record TopicDraft(String key, String name, List<String> keyTerms, int conversations) {
        public TopicDraft {
            keyTerms = List.copyOf(keyTerms);
        }
    }

    /** What was added, and the files written (empty when the pack already had everything). */
    public record Result(List<ArcDraft> arcs, List<TopicDraft> topics, List<Path> files) {
        public Result {
            arcs = List.copyOf(arcs);
            topics = List.copyOf(topics);
            files = List.copyOf(files);
        }

        public boolean changed() { return !files.isEmpty(); }
    }

    private PackAdoption() {}

    /** Writes the drafts whose keys the pack in packDir does not define; validates first, writes nothing on a problem. */
    public static Result adopt(Path packDir, List<ArcDraft> arcs, List<TopicDraft> topics) {
        Pack pack = PackLoader.load(packDir);
        List<ArcDraft> newArcs = arcs.stream().filter(a -> pack.arc(a.key()).isEmpty()).toList();
        List<TopicDraft> newTopics = topics.stream().filter(t -> pack.topic(t.key()).isEmpty()).toList();
        if (newArcs.isEmpty() && newTopics.isEmpty()) return new Result(List.of(), List.of(), List.of());
        Path trial = null;
        try {
            trial = Files.createTempDirectory("brun-adopt-");
            copyTree(packDir, trial);
            write(trial, newArcs, newTopics);
            try {
                PackLoader.load(trial);
            } catch (PackValidationException e) {
                throw new BadInputException("the arcs and topics drafted from the imported conversations do not make a valid pack, "
                        + "so nothing was added to " + packDir + ":\n" + e.getMessage());
            }
            return new Result(newArcs, newTopics, write(packDir, newArcs, newTopics));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add the adopted arcs and topics to " + packDir + ": " + e.getMessage(), e);
        } finally {
            if (trial != null) deleteTree(trial);
        }
    }

    private static List<Path> write(Path dir, List<ArcDraft> arcs, List<TopicDraft> topics) throws IOException {
        List<Path> written = new ArrayList<>();
        Path arcDir = dir.resolve(PackReader.ARCS);
        Files.createDirectories(arcDir);
        for (ArcDraft a : arcs) {
            Path file = arcDir.resolve(a.key() + ".yaml");
            if (Files.exists(file)) throw new BadInputException(file + " exists but the pack does not define arc " + a.key()
                    + " from it; fix or remove that file first");
            replace(file, arcYaml(a));
            written.add(file);
        }
        if (!topics.isEmpty()) {
            Path file = dir.resolve(PackReader.TOPICS);
            String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            StringBuilder b = new StringBuilder(existing);
            if (!existing.isEmpty() && !existing.endsWith("\n")) b.append('\n');
            for (TopicDraft t : topics) b.append('\n').append(topicYaml(t));
            replace(file, b.toString());
            written.add(file);
        }
        return written;
    }

    static String arcYaml(ArcDraft a) {
        StringBuilder y = new StringBuilder();
        y.append("# Adopted by brun from ").append(a.conversations()).append(" imported conversation").append(a.conversations() == 1 ? "" : "s")
                .append(".\n# The stages are the ones those conversations recorded, in order of appearance. Write the strategy,\n")
                .append("# techniques and avoid lists (and the stage descriptions) before generating with this arc.\n");
        y.append("key: ").append(a.key()).append('\n');
        y.append("name: ").append(quoted(a.name() == null ? readable(a.key()) : a.name())).append('\n');
        y.append("category: core\n");
        y.append("start:\n  emotion: ").append(identifier(a.startEmotion())).append("\n  intensity: ").append(intensity(a.startIntensity()))
                .append("\n  family: [").append(identifier(a.startEmotion())).append("]\n");
        y.append("end:\n  emotion: ").append(identifier(a.endEmotion())).append("\n  intensity: ").append(intensity(a.endIntensity()))
                .append("\n  family: [").append(identifier(a.endEmotion())).append("]\n");
        y.append("exchanges: {min: ").append(Math.max(1, a.minExchanges())).append(", max: ")
                .append(Math.max(Math.max(1, a.minExchanges()), a.maxExchanges())).append("}\n");
        y.append("stages:\n");
        for (String s : a.stageKeys())
            y.append("  - key: ").append(s).append("\n    name: ").append(quoted(readable(s)))
                    .append("\n    description: ").append(quoted("Recorded as " + s + " by the imported conversations.")).append('\n');
        y.append("strategy: ").append(quoted("Adopted from imported conversations: move the client from " + identifier(a.startEmotion())
                + " to " + identifier(a.endEmotion()) + " through the stages above.")).append('\n');
        y.append("techniques:\n  - ").append(quoted("follow the stages in order")).append('\n');
        y.append("avoid:\n  - ").append(quoted("skipping a stage")).append('\n');
        return y.toString();
    }

    static String topicYaml(TopicDraft t) {
        return "# Adopted by brun from " + t.conversations() + " imported conversation" + (t.conversations() == 1 ? "" : "s")
                + "; describe it before generating with it.\n"
                + "- key: " + t.key() + "\n"
                + "  name: " + quoted(t.name() == null ? readable(t.key()) : t.name()) + "\n"
                + "  category: imported\n"
                + "  description: " + quoted("Adopted from imported conversations.") + "\n"
                + "  complexity: intermediate\n"
                + "  key_terms: [" + String.join(", ", t.keyTerms().stream().map(PackAdoption::quoted).toList()) + "]\n";
    }

    /** overwhelm_to_empowerment as "Overwhelm to empowerment": where the file gave no name. */
    static String readable(String key) {
        String s = key.replace('_', ' ').strip();
        return s.isEmpty() ? key : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** An emotion word as the pack's identifier rules want it (lower case, underscores). */
    static String identifier(String s) {
        String id = s == null ? "" : s.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (id.isEmpty() || !Character.isLetter(id.charAt(0))) return "unrecorded";
        return id;
    }

    private static String intensity(double x) {
        double clamped = Math.max(0, Math.min(1, x));
        return String.format(Locale.ROOT, "%.2f", clamped);
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + '"';
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".adopt-", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary copy left behind is harmless
        }
    }
}

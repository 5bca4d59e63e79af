package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Role;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The labelled fixture set under src/test/resources/quality/fixtures: one conversation per file. */
final class Fixtures {
    record Labelled(Conversation conversation, Set<String> labels, String note) {}

    private Fixtures() {}

    private static List<Labelled> cached;

    /** Read once per test JVM: the records are immutable, so tests can share them. */
    static synchronized List<Labelled> all() {
        if (cached == null) cached = List.copyOf(load());
        return cached;
    }

    private static List<Labelled> load() {
        try {
            Path dir = Path.of(Fixtures.class.getResource("/quality/fixtures").toURI());
            List<Labelled> out = new ArrayList<>();
            JsonMapper mapper = JsonMapper.builder().build();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    out.add(read(mapper.readTree(Files.readString(f))));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Conversation byId(String id) {
        return all().stream().filter(f -> f.conversation().id().equals(id)).findFirst().orElseThrow().conversation();
    }

    static Labelled read(JsonNode n) {
        List<Turn> turns = new ArrayList<>();
        int i = 0;
        for (JsonNode t : n.get("turns")) {
            Role role = Role.fromWire(t.get("role").asString());
            String content = t.get("content").asString();
            if (role == Role.USER) {
                JsonNode e = t.get("emotion");
                Emotion emotion = e == null ? null : new Emotion(e.get("primary").asString(), null, e.get("intensity").asDouble(), 0.8, null);
                turns.add(Turn.user(i, content, emotion));
            } else {
                turns.add(Turn.assistant(i, content, null, null, List.of()));
            }
            i++;
        }
        Scaffolding s = new Scaffolding(n.get("persona").asString(), n.get("arc").asString(), n.get("topic").asString(), 0, "seed");
        Conversation c = new Conversation(n.get("id").asString(), n.get("id").asString(), s, null, null, turns, Source.IMPORTED, null, null);
        Set<String> labels = new TreeSet<>();
        n.get("labels").forEach(l -> labels.add(l.asString()));
        return new Labelled(c, labels, n.has("note") ? n.get("note").asString() : "");
    }
}

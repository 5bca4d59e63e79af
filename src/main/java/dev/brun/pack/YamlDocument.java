package dev.brun.pack;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.Optional;

/**
 * Parses one YAML file into a node tree that keeps line and column of every value. The node tree (not a
 * data-binding mapper) is what lets validation point at the exact key, and see duplicate keys at all.
 */
public final class YamlDocument {
    private YamlDocument() {}

    /** The root node, or empty when the file is empty or not valid YAML (then a problem is recorded). */
    public static Optional<Node> parse(String file, String text, Problems problems) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setAllowDuplicateKeys(true) // duplicates are reported by YamlMap with both positions
                .setMaxAliasesForCollections(50)
                .build();
        try {
            return new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            Location at = mark == null ? Location.startOf(file)
                    : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
            String problem = e.getProblem() == null ? "malformed YAML" : e.getProblem();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            problems.add(at, "(yaml)", "malformed YAML: " + problem + context + "; fix the syntax here");
            return Optional.empty();
        } catch (YamlEngineException e) {
            problems.add(Location.startOf(file), "(yaml)", "malformed YAML: " + e.getMessage());
            return Optional.empty();
        }
    }
}

package dev.brun.pack;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed, location-aware reading of one YAML mapping. Every getter records what is wrong (missing, empty,
 * wrong type, out of range) in {@link Problems} and returns null instead of throwing, so one pass finds
 * every mistake. Keys a reader asks for become the known keys; {@link #rejectUnknownKeys()} reports the rest.
 */
public final class YamlMap {
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9][0-9_]*");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9][0-9_]*)?(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private final String file;
    private final String path;
    private final MappingNode node;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    private YamlMap(String file, String path, MappingNode node, Problems problems) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.problems = problems;
        for (NodeTuple t : node.getValue()) {
            Node keyNode = t.getKeyNode();
            if (!(keyNode instanceof ScalarNode s)) {
                problems.add(file, keyNode, pathOr("(key)"), "keys must be plain names, not lists or mappings");
                continue;
            }
            String key = s.getValue();
            NodeTuple first = entries.putIfAbsent(key, t);
            if (first != null) {
                Location was = Location.of(file, first.getKeyNode());
                problems.add(file, keyNode, field(key), "duplicate key '" + key + "' (first defined at line "
                        + was.line() + "); keep one of them");
            }
        }
    }

    /** Reads node as a mapping; reports a wrong-type problem (and returns empty) when it is anything else. */
    public static Optional<YamlMap> of(String file, String path, Node node, Problems problems) {
        if (node instanceof MappingNode m) return Optional.of(new YamlMap(file, path, m, problems));
        String field = path.isEmpty() ? "(document)" : path;
        if (isNull(node)) problems.add(file, node, field, "is empty; expected a mapping of keys and values");
        else problems.add(file, node, field, "expected a mapping of keys and values, got " + describe(node));
        return Optional.empty();
    }

    public String file() { return file; }

    public Location location() { return Location.of(file, node); }

    /** The dotted path of key inside this file ({@code income.min}). */
    public String field(String key) { return path.isEmpty() ? key : path + "." + key; }

    private String pathOr(String fallback) { return path.isEmpty() ? fallback : path; }

    public boolean has(String key) {
        known.add(key);
        NodeTuple t = entries.get(key);
        return t != null && !isNull(t.getValueNode());
    }

    /** Where the value of key is (or this mapping, when key is absent). */
    public Location locationOf(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? location() : Location.of(file, t.getValueNode());
    }

    private Node value(String key) {
        known.add(key);
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    private Node present(String key, boolean required) {
        known.add(key);
        NodeTuple t = entries.get(key);
        if (t == null) {
            if (required) problems.add(location(), field(key), "missing required key '" + key + "'");
            return null;
        }
        Node v = t.getValueNode();
        if (isNull(v)) {
            if (required) problems.add(file, v, field(key), "is empty; give it a value");
            return null;
        }
        return v;
    }

    /** Every key of this mapping, for mappings whose keys are names chosen by the user (model names). */
    public List<String> keys() {
        known.addAll(entries.keySet());
        return List.copyOf(entries.keySet());
    }

    /** Records a problem at the value of key (or at this mapping when the key is absent). */
    public void problem(String key, String message) {
        problems.add(locationOf(key), field(key), message);
    }

    public String string(String key) { return text(key, true); }

    public String optionalString(String key) { return text(key, false); }

    private String text(String key, boolean required) {
        Node v = present(key, required);
        if (v == null) return null;
        return scalarText(v, field(key));
    }

    private String scalarText(Node v, String field) {
        if (!(v instanceof ScalarNode s)) {
            problems.add(file, v, field, "expected text, got " + describe(v));
            return null;
        }
        String text = s.getValue().strip();
        if (text.isEmpty()) {
            problems.add(file, v, field, "is an empty string; write a value or remove the key");
            return null;
        }
        return text;
    }

    /** Text that must be one of the allowed values (case-insensitive); returned in lower case. */
    public String choice(String key, boolean required, List<String> allowed) {
        String s = text(key, required);
        if (s == null) return null;
        String lower = s.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            problems.add(locationOf(key), field(key), "'" + s + "' is not one of " + String.join(", ", allowed));
            return null;
        }
        return lower;
    }

    /** A lower_snake_case identifier (persona, arc, topic and stage keys end up in unit keys and file names). */
    public String identifier(String key) {
        String s = string(key);
        if (s == null) return null;
        if (!Identifiers.isValid(s)) {
            problems.add(locationOf(key), field(key), "'" + s + "' must be lower_snake_case "
                    + "(letters a-z, digits and single underscores), e.g. '" + Identifiers.suggest(s) + "'");
            return null;
        }
        return s;
    }

    public Integer integer(String key, long min, long max) { return integer(key, true, min, max); }

    public Integer integer(String key, boolean required, long min, long max) {
        Node v = present(key, required);
        if (v == null) return null;
        if (!(v instanceof ScalarNode s) || !s.isPlain() || !INTEGER.matcher(s.getValue()).matches()) {
            problems.add(file, v, field(key), "expected a whole number, got " + describe(v));
            return null;
        }
        long n;
        try {
            n = Long.parseLong(s.getValue().replace("_", "").replace("+", ""));
        } catch (NumberFormatException e) {
            problems.add(file, v, field(key), "number " + s.getValue() + " is too large");
            return null;
        }
        if (n < min || n > max) {
            problems.add(file, v, field(key), n + " is out of range; expected " + range(min, max));
            return null;
        }
        return (int) n;
    }

    public BigDecimal decimal(String key, boolean required, BigDecimal min, BigDecimal max) {
        Node v = present(key, required);
        if (v == null) return null;
        if (!(v instanceof ScalarNode s) || !s.isPlain() || s.getValue().isEmpty()
                || !DECIMAL.matcher(s.getValue()).matches() || !s.getValue().matches(".*[0-9].*")) {
            problems.add(file, v, field(key), "expected a number, got " + describe(v));
            return null;
        }
        BigDecimal n = new BigDecimal(s.getValue().replace("_", "").replace("+", ""));
        if ((min != null && n.compareTo(min) < 0) || (max != null && n.compareTo(max) > 0)) {
            String expected = min != null && max != null ? "between " + min.toPlainString() + " and " + max.toPlainString()
                    : min != null ? "at least " + min.toPlainString() : "at most " + max.toPlainString();
            problems.add(file, v, field(key), n.toPlainString() + " is out of range; expected " + expected);
            return null;
        }
        return n;
    }

    public Double number(String key, double min, double max) {
        BigDecimal d = decimal(key, true, BigDecimal.valueOf(min), BigDecimal.valueOf(max));
        return d == null ? null : d.doubleValue();
    }

    /** A list of non-empty texts; minSize 0 makes an absent key an empty list. */
    public List<String> strings(String key, int minSize) {
        Node v = minSize > 0 ? present(key, true) : value(key);
        if (v == null || (minSize == 0 && isNull(v))) return minSize > 0 ? null : List.of();
        if (!(v instanceof SequenceNode seq)) {
            problems.add(file, v, field(key), "expected a list of texts, got " + describe(v));
            return null;
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.getValue().size(); i++) {
            String s = scalarText(seq.getValue().get(i), field(key) + "[" + (i + 1) + "]");
            if (s == null) ok = false;
            else out.add(s);
        }
        if (ok && out.size() < minSize) {
            problems.add(file, v, field(key), "has " + out.size() + " entries; at least " + minSize + " needed");
            return null;
        }
        return ok ? out : null;
    }

    public Optional<YamlMap> map(String key, boolean required) {
        Node v = present(key, required);
        if (v == null) return Optional.empty();
        return of(file, field(key), v, problems);
    }

    /** A list of mappings; entries are numbered from 1 in field paths ({@code stages[1].key}). */
    public List<YamlMap> maps(String key, boolean required, int minSize) {
        Node v = present(key, required);
        if (v == null) return List.of();
        return mapsOf(file, field(key), v, problems, minSize);
    }

    /** Reads node as a list of mappings (the root of topics.yaml, or a value). */
    public static List<YamlMap> mapsOf(String file, String field, Node v, Problems problems, int minSize) {
        if (!(v instanceof SequenceNode seq)) {
            problems.add(file, v, field, isNull(v) ? "is empty; expected a list" : "expected a list, got " + describe(v));
            return List.of();
        }
        if (seq.getValue().size() < minSize) {
            problems.add(file, v, field, "has " + seq.getValue().size() + " entries; at least " + minSize + " needed");
        }
        List<YamlMap> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            of(file, field + "[" + (i + 1) + "]", seq.getValue().get(i), problems).ifPresent(out::add);
        }
        return out;
    }

    /** Every key in the file that no reader asked for, with the closest known key as a suggestion. */
    public void rejectUnknownKeys() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (known.contains(e.getKey())) continue;
            String message = "unknown key '" + e.getKey() + "'";
            Optional<String> close = Identifiers.closest(e.getKey(), known);
            message += close.map(k -> "; did you mean '" + k + "'?")
                    .orElse("; known keys here: " + String.join(", ", known));
            problems.add(file, e.getValue().getKeyNode(), field(e.getKey()), message);
        }
    }

    static boolean isNull(Node node) {
        if (node == null) return true;
        if (!(node instanceof ScalarNode s) || !s.isPlain()) return false;
        String v = s.getValue();
        return v.isEmpty() || v.equals("~") || v.equals("null") || v.equals("Null") || v.equals("NULL");
    }

    private static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            case ScalarNode s when isNull(s) -> "nothing";
            case ScalarNode s when !s.isPlain() -> "the quoted text \"" + abbreviate(s.getValue()) + "\"";
            case ScalarNode s -> "'" + abbreviate(s.getValue()) + "'";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String abbreviate(String s) { return s.length() <= 40 ? s : s.substring(0, 37) + "..."; }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) return "at least " + min;
        return "between " + min + " and " + max;
    }
}

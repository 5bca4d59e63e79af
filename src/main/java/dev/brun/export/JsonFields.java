package dev.brun.export;

import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Typed reads from a JSON tree that fail with the file, the JSON path and what was expected. */
final class JsonFields {
    private final Path file;

    JsonFields(Path file) { this.file = file; }

    ImportException error(String where, String reason) { return new ImportException(file, where, reason); }

    JsonNode object(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) throw error(path + "." + key, "missing object");
        if (!n.isObject()) throw error(path + "." + key, "expected an object, found " + kind(n));
        return n;
    }

    JsonNode optionalObject(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) throw error(path + "." + key, "expected an object, found " + kind(n));
        return n;
    }

    JsonNode array(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) throw error(path + "." + key, "missing array");
        if (!n.isArray()) throw error(path + "." + key, "expected an array, found " + kind(n));
        return n;
    }

    String string(JsonNode parent, String key, String path) {
        String s = optionalString(parent, key, path);
        if (s == null) throw error(path + "." + key, "missing string");
        return s;
    }

    String optionalString(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) return null;
        if (!n.isString()) throw error(path + "." + key, "expected a string, found " + kind(n));
        return n.asString();
    }

    int integer(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) throw error(path + "." + key, "missing integer");
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw error(path + "." + key, "expected an integer, found " + kind(n));
        return n.intValue();
    }

    Integer optionalInteger(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) return null;
        return integer(parent, key, path);
    }

    Double optionalNumber(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) return null;
        if (!n.isNumber()) throw error(path + "." + key, "expected a number, found " + kind(n));
        return n.doubleValue();
    }

    boolean optionalBoolean(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) return false;
        if (!n.isBoolean()) throw error(path + "." + key, "expected true or false, found " + kind(n));
        return n.booleanValue();
    }

    List<String> optionalStrings(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw error(path + "." + key, "expected an array of strings, found " + kind(n));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isString()) throw error(path + "." + key + "[" + i + "]", "expected a string, found " + kind(n.get(i)));
            out.add(n.get(i).asString());
        }
        return out;
    }

    static String kind(JsonNode n) {
        if (n.isString()) return "a string";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "a boolean";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return "null";
    }
}

package dev.brun.pack;

import dev.brun.WorkFailedException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A pack built into the jar under packs/NAME/. Classpath folders cannot be listed inside a jar, so the
 * file list comes from packs/index.yaml (see {@link BuiltinPacks}).
 */
public record ClasspathPackSource(String name, List<String> files) implements PackSource {
    public ClasspathPackSource {
        files = List.copyOf(files);
    }

    @Override
    public String defaultName() { return name; }

    @Override
    public String describe() { return "built-in pack " + name; }

    @Override
    public Optional<String> read(String relativePath) {
        if (!files.contains(relativePath)) return Optional.empty();
        return BuiltinPacks.resource("packs/" + name + "/" + relativePath);
    }

    @Override
    public List<String> yamlFiles(String folder) {
        String prefix = folder + "/";
        return files.stream()
                .filter(f -> f.startsWith(prefix) && f.indexOf('/', prefix.length()) < 0)
                .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml"))
                .sorted()
                .toList();
    }

    @Override
    public List<String> allFiles() { return files.stream().sorted().toList(); }

    static Optional<String> readResource(ClassLoader loader, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) return Optional.empty();
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new WorkFailedException("cannot read built-in resource " + path + ": " + e.getMessage(), e);
        }
    }
}

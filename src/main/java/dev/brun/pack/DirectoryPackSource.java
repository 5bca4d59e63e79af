package dev.brun.pack;

import dev.brun.BadInputException;
import dev.brun.WorkFailedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A pack folder on disk. */
public record DirectoryPackSource(Path dir) implements PackSource {
    public DirectoryPackSource {
        dir = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("pack folder " + dir + " does not exist or is not a folder; "
                    + "pass a folder with consultant.yaml, personas/, arcs/, topics.yaml and rules.yaml, "
                    + "or the name of a built-in pack (brun pack list)");
        }
    }

    @Override
    public String defaultName() {
        Path name = dir.getFileName();
        return name == null ? "pack" : name.toString();
    }

    @Override
    public String describe() { return "pack folder " + dir; }

    @Override
    public Optional<String> read(String relativePath) {
        Path file = dir.resolve(relativePath);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (MalformedInputException e) {
            throw new BadInputException(file + " is not UTF-8 text; save it as UTF-8", e);
        } catch (IOException e) {
            throw new WorkFailedException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> yamlFiles(String folder) {
        Path sub = dir.resolve(folder);
        if (!Files.isDirectory(sub)) return List.of();
        try (Stream<Path> files = Files.list(sub)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .sorted()
                    .map(n -> folder + "/" + n)
                    .toList();
        } catch (IOException e) {
            throw new WorkFailedException("cannot list " + sub + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> allFiles() {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new WorkFailedException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}

package dev.brun.pack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A writable copy of the built-in pack in a temporary folder, with edits that fail loudly when they miss. */
public record PackFixture(Path dir) {
    public static PackFixture copyOfDefault(Path parent) {
        Path dir = parent.resolve("pack");
        ClasspathPackSource source = BuiltinPacks.source("financial-planning");
        try {
            for (String file : source.allFiles()) {
                Path to = dir.resolve(file);
                Files.createDirectories(to.getParent());
                Files.writeString(to, source.read(file).orElseThrow(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PackFixture(dir);
    }

    public String read(String file) {
        try {
            return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PackFixture write(String file, String text) {
        try {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Replaces the single occurrence of from in file. */
    public PackFixture edit(String file, String from, String to) {
        String text = read(file);
        int at = text.indexOf(from);
        assertThat(at).as("'%s' in %s", from, file).isNotNegative();
        assertThat(text.indexOf(from, at + 1)).as("'%s' occurs once in %s", from, file).isNegative();
        return write(file, text.substring(0, at) + to + text.substring(at + from.length()));
    }

    public PackFixture delete(String file) {
        try {
            Files.delete(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** 1-based line and column of the first occurrence of text in file (plus offset characters). */
    public Location position(String file, String text, int offset) {
        String content = read(file);
        int at = content.indexOf(text);
        assertThat(at).as("'%s' in %s", text, file).isNotNegative();
        at += offset;
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (content.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Location(file, line, at - lineStart + 1);
    }

    public Location position(String file, String text) { return position(file, text, 0); }

    public Pack load() { return PackLoader.load(dir); }

    public java.util.List<PackProblem> problems() { return PackLoader.problems(new DirectoryPackSource(dir)); }
}

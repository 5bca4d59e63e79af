package dev.brun.project;

import dev.brun.BadInputException;
import dev.brun.WorkFailedException;
import dev.brun.pack.ClasspathPackSource;
import dev.brun.pack.DirectoryPackSource;
import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.pack.PackSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Copies a pack (built-in or a folder) into a project so it can be edited there. The pack is validated
 * first and copied into a temporary sibling folder that is renamed at the end, so an invalid pack or a
 * failed copy leaves nothing behind.
 */
public final class PackCopier {
    private PackCopier() {}

    /** Copies nameOrPath to target (which must not exist or be empty); returns the pack loaded from target. */
    public static Pack copy(String nameOrPath, Path target) {
        PackSource source = PackLoader.source(nameOrPath);
        PackLoader.load(source); // throws PackValidationException before anything is written
        Path dest = target.toAbsolutePath().normalize();
        if (Files.exists(dest) && !isEmptyDirectory(dest)) {
            throw new BadInputException(dest + " already exists and is not empty; choose another folder or remove it");
        }
        Path tmp = dest.resolveSibling("." + dest.getFileName() + ".copying");
        try {
            deleteRecursively(tmp);
            Files.createDirectories(tmp);
            for (String file : source.allFiles()) {
                Path to = tmp.resolve(file).normalize();
                if (!to.startsWith(tmp)) throw new BadInputException("pack file " + file + " points outside the pack");
                Files.createDirectories(to.getParent());
                switch (source) {
                    case DirectoryPackSource dir -> Files.copy(dir.dir().resolve(file), to, StandardCopyOption.COPY_ATTRIBUTES);
                    case ClasspathPackSource builtin -> Files.writeString(to, builtin.read(file).orElseThrow(
                            () -> new WorkFailedException("built-in pack " + builtin.name() + " lists " + file
                                    + " but the jar does not contain it; rebuild brun")), StandardCharsets.UTF_8);
                }
            }
            if (Files.exists(dest)) Files.delete(dest);
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                deleteRecursively(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new WorkFailedException("cannot copy pack " + nameOrPath + " to " + dest + ": " + e.getMessage(), e);
        }
        return PackLoader.load(dest);
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}

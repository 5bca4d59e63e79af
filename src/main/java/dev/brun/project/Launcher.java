package dev.brun.project;

import dev.brun.BadInputException;
import dev.brun.WorkFailedException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * A small {@code brun} script for a folder on the PATH that runs a brun checkout's own launcher, so that
 * {@code brun ...} works from anywhere and the hints brun prints can say plain {@code brun}.
 */
public final class Launcher {
    /** The line that marks a launcher this class wrote (one it may replace). */
    static final String MARKER = "# brun launcher written by 'brun install'";

    /** What was installed: the script, the checkout it runs, whether DIR is on the PATH, whether one was replaced. */
    public record Installed(Path script, Path target, boolean onPath, boolean replaced) {}

    private Launcher() {}

    /**
     * @param dir     where to write the script (created when missing)
     * @param target  the checkout's brun script the launcher runs
     * @param pathEnv the PATH to look for dir in
     */
    public static Installed install(Path dir, Path target, String pathEnv) {
        Path folder = dir.toAbsolutePath().normalize();
        Path script = folder.resolve("brun");
        Path real = target.toAbsolutePath().normalize();
        if (script.equals(real)) throw new BadInputException(script + " is the checkout's own launcher: pick another folder (default ~/.local/bin)");
        boolean replaced = false;
        try {
            if (Files.exists(script)) {
                String existing = Files.isRegularFile(script) ? Files.readString(script, StandardCharsets.UTF_8) : "";
                if (!existing.contains(MARKER))
                    throw new BadInputException(script + " already exists and was not written by 'brun install': move it away first");
                replaced = true;
            }
            Files.createDirectories(folder);
            String text = "#!/usr/bin/env bash\n" + MARKER + ": runs the checkout at " + real.getParent() + "\n"
                    + "BRUN_INVOCATION=brun exec " + shellQuote(real.toString()) + " \"$@\"\n";
            Path tmp = Files.createTempFile(folder, ".brun-", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException notPosix) {
                tmp.toFile().setExecutable(true, false);
            }
            Files.move(tmp, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new WorkFailedException("cannot write " + script + ": " + e.getMessage(), e);
        }
        return new Installed(script, real, onPath(folder, pathEnv), replaced);
    }

    static boolean onPath(Path folder, String pathEnv) {
        if (pathEnv == null) return false;
        return Arrays.stream(pathEnv.split(File.pathSeparator)).filter(s -> !s.isBlank())
                .anyMatch(p -> Path.of(p).toAbsolutePath().normalize().equals(folder));
    }

    private static String shellQuote(String s) { return "'" + s.replace("'", "'\\''") + "'"; }
}

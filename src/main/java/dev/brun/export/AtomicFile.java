package dev.brun.export;

import dev.brun.WorkFailedException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes a file so that its final name only ever holds complete content: the bytes go to a temporary file in
 * the same folder (same file system, so the rename is atomic) and are renamed over the target at the end.
 * If the body throws, the temporary file is deleted and the target is left as it was.
 */
public final class AtomicFile {
    /** The body writes the file's content; it must not close the stream. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile() {}

    public static WrittenFile write(Path root, Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (OutputStream file = Files.newOutputStream(tmp);
                 DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file, 1 << 16), sha)) {
                body.write(digest);
                digest.flush();
            }
            long size = Files.size(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new WorkFailedException("cannot rename " + tmp + " atomically to " + target
                        + " (the file system does not support atomic moves); export to a local folder with --out");
            }
            tmp = null;
            String rel = root.toAbsolutePath().relativize(target.toAbsolutePath()).toString().replace('\\', '/');
            return new WrittenFile(rel, size, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new WorkFailedException("could not write " + target + ": " + e.getMessage()
                    + " (check free disk space and write permission on " + dir + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        } finally {
            if (tmp != null) {
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* the original failure matters more */ }
            }
        }
    }
}

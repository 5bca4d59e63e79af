package dev.brun.export;

import dev.brun.WorkFailedException;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {}

    private static void writeBody(OutputStream file, MessageDigest sha, Body body) throws IOException {
        // Not closed here: closing the wrapper would close the file stream twice; flushing is enough.
        DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file, 1 << 16), sha);
        // Serializers close the stream they are given; that must not close the channel before it is forced.
        body.write(new FilterOutputStream(digest) {
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
            @Override public void close() throws IOException { out.flush(); }
        });
        digest.flush();
    }

    public static WrittenFile write(Path root, Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // Not createTempFile: it makes owner-only files, and training files are meant to be shared.
            Path candidate = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".part");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                tmp = candidate;
                writeBody(Channels.newOutputStream(channel), sha, body);
                // On disk before the rename: after a power cut the final name holds either the old or the whole new file.
                channel.force(true);
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
            throw new WorkFailedException("could not write " + target + ": " + (e.getMessage() == null ? e.toString() : e.getMessage())
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

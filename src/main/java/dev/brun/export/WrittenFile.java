package dev.brun.export;

/** A file an export wrote: path relative to the export folder, size and SHA-256 (hex) of its bytes. */
public record WrittenFile(String path, long bytes, String sha256) {}

package dev.brun.pack;

/**
 * A persona, arc or topic as read from its file, with where its key was written. value is null when the
 * entry had problems of its own; the key still takes part in the cross-file checks.
 */
record Keyed<T>(String key, Location keyLocation, T value) {}

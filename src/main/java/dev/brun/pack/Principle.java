package dev.brun.pack;

/** One of the consultant's principles: a stable key, a short name and what it means in practice. */
public record Principle(String key, String name, String description) {}

package dev.brun.pack;

/** One stage of an emotional arc; its key is the {@code phase} an assistant turn reports. */
public record ArcStage(String key, String name, String description) {}

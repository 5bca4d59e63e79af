package dev.brun.pack;

/** Coverage minimums: at least this many usable conversations per persona, per arc, per topic. */
public record Minimums(int perPersona, int perArc, int perTopic) {}

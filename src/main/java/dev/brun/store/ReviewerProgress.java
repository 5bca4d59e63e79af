package dev.brun.store;

/**
 * What one reviewer has done: conversations decided (their latest verdict approved or rejected), of which
 * approvals and rejections, and conversations they edited.
 */
public record ReviewerProgress(String reviewer, int decisions, int approvals, int rejections, int edits) {}

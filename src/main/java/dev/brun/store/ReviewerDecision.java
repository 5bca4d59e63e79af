package dev.brun.store;

import java.time.Instant;

/**
 * One reviewer's latest verdict on one conversation, from the review log: defect = that reviewer rejected it
 * or edited it (and approved); at = when the verdict was given.
 */
public record ReviewerDecision(String conversationId, String reviewer, boolean approved, boolean defect, Instant at) {}

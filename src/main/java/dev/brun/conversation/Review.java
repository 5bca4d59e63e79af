package dev.brun.conversation;

import java.time.Instant;

/** A person's verdict on a conversation: status, whether it is a seed example for expansion, notes. */
public record Review(ReviewStatus status, boolean seed, String notes, String reviewer, Instant at) {
    public static Review pending() { return new Review(ReviewStatus.PENDING, false, null, null, null); }
}

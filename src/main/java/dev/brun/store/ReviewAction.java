package dev.brun.store;

import java.time.Instant;

/** One entry of a conversation's review log: status, seed, note or edit, by whom, when. */
public record ReviewAction(long id, String conversationId, String action, String detail, String actor, Instant at) {}

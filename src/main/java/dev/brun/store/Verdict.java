package dev.brun.store;

import dev.brun.conversation.ReviewStatus;

/**
 * A conversation's review decision as the review page shows and undoes it: status, seed mark and the
 * rejection reason (null unless rejected). Notes are separate: a note never changes a verdict.
 */
public record Verdict(ReviewStatus status, boolean seed, String reason) {
    public static final Verdict PENDING = new Verdict(ReviewStatus.PENDING, false, null);
}

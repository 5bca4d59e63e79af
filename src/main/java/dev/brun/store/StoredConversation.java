package dev.brun.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Generation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Review;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;

/** A conversation with everything stored beside it. generation and scores may be absent. */
public record StoredConversation(Conversation conversation, Optional<Generation> generation, Optional<Scores> scores,
                                 List<QualityFlag> flags, Review review, String contentHash, Instant createdAt) {
    public StoredConversation {
        flags = List.copyOf(flags);
    }

    /** Usable for export: not rejected and without an error-severity flag. */
    public boolean usable() {
        return review.status() != dev.brun.conversation.ReviewStatus.REJECTED
                && flags.stream().noneMatch(f -> f.severity() == Severity.ERROR);
    }
}

package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Generation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Review;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;

import java.util.List;
import java.util.Objects;

/** One conversation with everything known about it; generation and scores may be null (imported, not yet scored). */
public record ExportItem(Conversation conversation, Generation generation, Scores scores, List<QualityFlag> flags,
                         Review review) {
    public ExportItem {
        Objects.requireNonNull(conversation, "conversation");
        flags = flags == null ? List.of() : List.copyOf(flags);
        review = review == null ? Review.pending() : review;
    }

    public static ExportItem of(Conversation conversation) {
        return new ExportItem(conversation, null, null, List.of(), Review.pending());
    }

    public List<QualityFlag> errorFlags() {
        return flags.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }
}

package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Generation;
import dev.brun.conversation.Provenance;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Review;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * One conversation with everything known about it; generation and scores may be null (imported, not yet scored).
 * createdAt is when brun stored it (null when unknown); provenance what an imported file recorded about it.
 */
public record ExportItem(Conversation conversation, Generation generation, Scores scores, List<QualityFlag> flags,
                         Review review, Instant createdAt, Provenance provenance) {
    public ExportItem {
        Objects.requireNonNull(conversation, "conversation");
        flags = flags == null ? List.of() : List.copyOf(flags);
        review = review == null ? Review.pending() : review;
        provenance = provenance == null ? Provenance.NONE : provenance;
    }

    public ExportItem(Conversation conversation, Generation generation, Scores scores, List<QualityFlag> flags, Review review) {
        this(conversation, generation, scores, flags, review, null, Provenance.NONE);
    }

    /** The day the conversation was generated: the date its file recorded, else the day brun stored it; null when neither is known. */
    public LocalDate generatedOn() {
        if (provenance.recordedDate() != null) return provenance.recordedDate();
        return createdAt == null ? null : LocalDate.ofInstant(createdAt, ZoneOffset.UTC);
    }

    public static ExportItem of(Conversation conversation) {
        return new ExportItem(conversation, null, null, List.of(), Review.pending());
    }

    public List<QualityFlag> errorFlags() {
        return flags.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }
}

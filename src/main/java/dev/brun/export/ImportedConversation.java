package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Review;
import dev.brun.conversation.Scores;

/** A conversation rebuilt from a file, with the scores (null when the file had none) and review the file carried. */
public record ImportedConversation(Conversation conversation, Scores scores, Review review) {
    /** The same conversation marked as a seed example for expansion (brun import --as-seed). */
    public ImportedConversation asSeed() {
        Review r = review == null ? Review.pending() : review;
        return new ImportedConversation(conversation, scores, new Review(r.status(), true, r.notes(), r.reviewer(), r.at()));
    }

    public ExportItem toExportItem() {
        return new ExportItem(conversation, null, scores, java.util.List.of(), review);
    }
}

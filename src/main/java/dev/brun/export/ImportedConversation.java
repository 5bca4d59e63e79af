package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Review;
import dev.brun.conversation.Scores;

/** A conversation rebuilt from a file, with the scores (null when the file had none) and review the file carried. */
public record ImportedConversation(Conversation conversation, Scores scores, Review review) {
    public ExportItem toExportItem() {
        return new ExportItem(conversation, null, scores, java.util.List.of(), review);
    }
}

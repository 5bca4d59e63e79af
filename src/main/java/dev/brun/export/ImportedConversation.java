package dev.brun.export;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Provenance;
import dev.brun.conversation.Review;
import dev.brun.conversation.Scores;

/**
 * A conversation rebuilt from a file, with the scores (null when the file had none) and review the file carried,
 * and what else the file recorded (its system prompt and generation date).
 */
public record ImportedConversation(Conversation conversation, Scores scores, Review review, Provenance provenance) {
    public ImportedConversation {
        provenance = provenance == null ? Provenance.NONE : provenance;
    }

    public ImportedConversation(Conversation conversation, Scores scores, Review review) {
        this(conversation, scores, review, Provenance.NONE);
    }

    /** The same conversation marked as a seed example for expansion (brun import --as-seed). */
    public ImportedConversation asSeed() {
        Review r = review == null ? Review.pending() : review;
        return new ImportedConversation(conversation, scores, new Review(r.status(), true, r.notes(), r.reviewer(), r.at()), provenance);
    }

    /**
     * The same conversation filed under other scaffolding keys (null keeps a key): seed files name no arc or topic,
     * so brun import --arc/--topic says where they belong.
     */
    public ImportedConversation rekeyed(String personaKey, String arcKey, String topicKey) {
        var s = conversation.scaffolding();
        var moved = new dev.brun.conversation.Scaffolding(personaKey == null ? s.personaKey() : personaKey, arcKey == null ? s.arcKey() : arcKey,
                topicKey == null ? s.topicKey() : topicKey, s.variationIndex(), s.phase());
        Conversation c = conversation;
        return new ImportedConversation(new Conversation(c.id(), c.unitKey(), moved, c.sessionContext(), c.expectedOutcome(), c.turns(),
                c.source(), c.provider(), c.model()), scores, review, provenance);
    }

    public ExportItem toExportItem() {
        return new ExportItem(conversation, null, scores, java.util.List.of(), review, null, provenance);
    }
}

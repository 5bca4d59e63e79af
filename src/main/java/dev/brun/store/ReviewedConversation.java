package dev.brun.store;

import java.util.Set;

/**
 * A conversation a person decided on (approved or rejected), with what the automated signals said about it:
 * defect = rejected, or edited before approval (the unread ones may need the same edit); errorCodes = its
 * error-severity flag codes; overall and scoreMethod null when it was never scored.
 */
public record ReviewedConversation(String conversationId, boolean defect, Set<String> errorCodes, Double overall,
                                   String scoreMethod) {
    public ReviewedConversation {
        errorCodes = Set.copyOf(errorCodes);
    }
}

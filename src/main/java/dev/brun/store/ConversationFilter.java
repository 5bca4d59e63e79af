package dev.brun.store;

import dev.brun.conversation.ReviewStatus;

/**
 * Which conversations a listing shows; null fields do not filter. text matches any turn's content,
 * case-insensitively. usableOnly keeps conversations that are not rejected and have no error flag.
 */
public record ConversationFilter(String personaKey, String arcKey, String topicKey, String phase,
                                 ReviewStatus reviewStatus, String flagCode, Double minOverall, Double maxOverall,
                                 String text, boolean seedOnly, boolean usableOnly, FlagPresence flagPresence) {

    /** Conversations with at least one error flag, or with no flag at all. */
    public enum FlagPresence { ANY_ERROR, NONE }

    public ConversationFilter(String personaKey, String arcKey, String topicKey, String phase, ReviewStatus reviewStatus,
                              String flagCode, Double minOverall, Double maxOverall, String text, boolean seedOnly,
                              boolean usableOnly) {
        this(personaKey, arcKey, topicKey, phase, reviewStatus, flagCode, minOverall, maxOverall, text, seedOnly, usableOnly, null);
    }

    public static ConversationFilter all() {
        return new ConversationFilter(null, null, null, null, null, null, null, null, null, false, false, null);
    }

    public ConversationFilter withFlags(FlagPresence v) { return new ConversationFilter(personaKey, arcKey, topicKey, phase, reviewStatus, flagCode, minOverall, maxOverall, text, seedOnly, usableOnly, v); }

    public ConversationFilter persona(String v) { return new ConversationFilter(v, arcKey, topicKey, phase, reviewStatus, flagCode, minOverall, maxOverall, text, seedOnly, usableOnly, flagPresence); }
    public ConversationFilter arc(String v) { return new ConversationFilter(personaKey, v, topicKey, phase, reviewStatus, flagCode, minOverall, maxOverall, text, seedOnly, usableOnly, flagPresence); }
    public ConversationFilter topic(String v) { return new ConversationFilter(personaKey, arcKey, v, phase, reviewStatus, flagCode, minOverall, maxOverall, text, seedOnly, usableOnly, flagPresence); }
    public ConversationFilter inPhase(String v) { return new ConversationFilter(personaKey, arcKey, topicKey, v, reviewStatus, flagCode, minOverall, maxOverall, text, seedOnly, usableOnly, flagPresence); }
    public ConversationFilter review(ReviewStatus v) { return new ConversationFilter(personaKey, arcKey, topicKey, phase, v, flagCode, minOverall, maxOverall, text, seedOnly, usableOnly, flagPresence); }
    public ConversationFilter flagged(String code) { return new ConversationFilter(personaKey, arcKey, topicKey, phase, reviewStatus, code, minOverall, maxOverall, text, seedOnly, usableOnly, flagPresence); }
    public ConversationFilter overallBetween(Double min, Double max) { return new ConversationFilter(personaKey, arcKey, topicKey, phase, reviewStatus, flagCode, min, max, text, seedOnly, usableOnly, flagPresence); }
    public ConversationFilter containing(String v) { return new ConversationFilter(personaKey, arcKey, topicKey, phase, reviewStatus, flagCode, minOverall, maxOverall, v, seedOnly, usableOnly, flagPresence); }
    public ConversationFilter seeds() { return new ConversationFilter(personaKey, arcKey, topicKey, phase, reviewStatus, flagCode, minOverall, maxOverall, text, true, usableOnly, flagPresence); }
    public ConversationFilter usable() { return new ConversationFilter(personaKey, arcKey, topicKey, phase, reviewStatus, flagCode, minOverall, maxOverall, text, seedOnly, true, flagPresence); }
}

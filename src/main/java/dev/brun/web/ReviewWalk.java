package dev.brun.web;

import dev.brun.store.ConversationDao;
import dev.brun.store.ConversationRow;
import dev.brun.store.Page;
import dev.brun.store.ReviewPlanDao;
import dev.brun.store.StratumMember;

import java.util.List;
import java.util.Optional;

/**
 * The conversations a review page steps through, so the keys act the same in every walk: the filtered list in its
 * sort order, or a review-plan stratum's stored reading order (its sample, or every member with the sample first).
 */
sealed interface ReviewWalk {
    /** The conversation at a position (0-based), empty past the end. */
    Optional<String> at(int position);

    long total();

    /** Where a conversation stands in the walk now (0 when it is not in it, as the list does). */
    long positionOf(String id);

    /** The conversation after (or before) this one in the walk's order, even when this one left the walk. */
    Optional<String> neighbour(String id, boolean forward);

    /** Where "next" leads after the last conversation: empty to stay, or a page to go to. */
    Optional<String> after();

    static ReviewWalk of(ListQuery query, ConversationDao conversations, ReviewPlanDao plans) {
        if (query.sample() == null) return new FilteredList(query, conversations);
        List<String> ids = plans.members(query.sample()).stream().filter(m -> query.whole() || m.sampled())
                .map(StratumMember::conversationId).toList();
        return new Stratum(ids);
    }

    record FilteredList(ListQuery query, ConversationDao conversations) implements ReviewWalk {
        @Override public Optional<String> at(int position) {
            Page<ConversationRow> page = conversations.list(query.filter(), query.order(), position, 1);
            return page.items().isEmpty() ? Optional.empty() : Optional.of(page.items().getFirst().id());
        }
        @Override public long total() { return conversations.count(query.filter()); }
        @Override public long positionOf(String id) { return conversations.positionOf(query.filter(), query.order(), id); }
        @Override public Optional<String> neighbour(String id, boolean forward) {
            return conversations.neighbour(query.filter(), query.order(), id, forward);
        }
        @Override public Optional<String> after() { return Optional.empty(); }
    }

    /** A stratum's members in reading order; decisions never change it, so positions are stable. */
    record Stratum(List<String> ids) implements ReviewWalk {
        @Override public Optional<String> at(int position) {
            return position >= 0 && position < ids.size() ? Optional.of(ids.get(position)) : Optional.empty();
        }
        @Override public long total() { return ids.size(); }
        @Override public long positionOf(String id) { return Math.max(0, ids.indexOf(id)); }
        @Override public Optional<String> neighbour(String id, boolean forward) {
            int i = ids.indexOf(id);
            if (i < 0) return Optional.empty();
            return at(forward ? i + 1 : i - 1);
        }
        /** The end of a sample walk leads to the Sign-off page, where the stratum's verdict is. */
        @Override public Optional<String> after() { return Optional.of("/signoff"); }
    }
}

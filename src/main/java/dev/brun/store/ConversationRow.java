package dev.brun.store;

import java.time.Instant;

import dev.brun.conversation.ReviewStatus;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Source;

/** One line of a conversation listing (no turns). overall is null when not scored yet. */
public record ConversationRow(String id, String unitKey, Scaffolding scaffolding, Source source, String provider,
                              String model, int turnCount, ReviewStatus reviewStatus, boolean seed, Double overall,
                              int errorFlags, int warningFlags, Instant createdAt) {}

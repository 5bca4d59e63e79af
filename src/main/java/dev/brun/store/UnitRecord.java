package dev.brun.store;

import java.time.Instant;

/** A stored unit of work with its state and lease. */
public record UnitRecord(String key, String packHash, String phase, String personaKey, String arcKey,
                         String topicKey, int variationIndex, UnitState state, int attempts,
                         String failureReason, String failureDetail, String leaseOwner, Instant leaseUntil,
                         String batchId, Instant createdAt, Instant updatedAt) {}

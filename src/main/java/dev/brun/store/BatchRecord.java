package dev.brun.store;

import java.time.Instant;

/** A provider batch (Message Batches API); id is the provider's batch id, kept so a restart resumes polling. */
public record BatchRecord(String id, String provider, String phase, String status, int requestCount,
                          Instant createdAt, Instant endedAt, boolean resultsFetched) {}

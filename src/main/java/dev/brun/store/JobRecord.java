package dev.brun.store;

import java.time.Instant;

/** A long-running job the web UI shows (generate, check, export ...); state is running, done or failed. */
public record JobRecord(String id, String kind, String state, long done, long total, String message,
                        Instant startedAt, Instant endedAt) {}

-- Cache writes are priced by lifetime (1.25x input for five minutes, 2x for one hour). The ledger keeps
-- the one-hour part of cache_write_tokens apart so that savings can be priced right; earlier lines
-- were all five-minute writes.
ALTER TABLE ledger ADD COLUMN cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0;

-- 'accepted' = certified by its stratum's sample, unread by a person (issue 12). The column's CHECK got
-- PostgreSQL's default name in V1.
ALTER TABLE reviews DROP CONSTRAINT reviews_status_check;
ALTER TABLE reviews ADD CONSTRAINT reviews_status_check
    CHECK (status IN ('pending', 'approved', 'rejected', 'accepted'));

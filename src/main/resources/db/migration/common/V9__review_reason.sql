-- A rejection's reason gets its own column: it used to be appended to the notes, so editing a note could
-- change or erase the reason. Notes stay the reviewer's free text.
ALTER TABLE reviews ADD COLUMN reason TEXT;

-- The process that runs a job (host:pid:nonce, as unit leases name it): after a restart, a job whose process
-- is gone is shown as interrupted instead of "running" forever.
ALTER TABLE jobs ADD COLUMN owner TEXT;

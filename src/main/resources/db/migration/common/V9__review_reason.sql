-- A rejection's reason gets its own column: it used to be appended to the notes, so editing a note could
-- change or erase the reason. Notes stay the reviewer's free text.
ALTER TABLE reviews ADD COLUMN reason TEXT;

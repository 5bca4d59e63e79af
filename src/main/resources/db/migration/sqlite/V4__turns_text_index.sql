-- Text search in the review list scanned every turn (seconds at 100,000 conversations). turns_text is an
-- FTS5 index over turns.content that stores no second copy of the text (external content); the triggers
-- keep it in step with inserts, edits and deletes (cascades from conversations included).
CREATE VIRTUAL TABLE turns_text USING fts5(content, content='turns', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
INSERT INTO turns_text(turns_text) VALUES ('rebuild');

CREATE TRIGGER turns_text_insert AFTER INSERT ON turns BEGIN
    INSERT INTO turns_text(rowid, content) VALUES (new.rowid, new.content);
END;

CREATE TRIGGER turns_text_delete AFTER DELETE ON turns BEGIN
    INSERT INTO turns_text(turns_text, rowid, content) VALUES ('delete', old.rowid, old.content);
END;

CREATE TRIGGER turns_text_update AFTER UPDATE OF content ON turns BEGIN
    INSERT INTO turns_text(turns_text, rowid, content) VALUES ('delete', old.rowid, old.content);
    INSERT INTO turns_text(rowid, content) VALUES (new.rowid, new.content);
END;

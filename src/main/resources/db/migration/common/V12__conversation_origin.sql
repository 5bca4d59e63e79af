-- What an imported file recorded about a conversation, so that an export says what the file said: the system
-- prompt its pairs were trained with, the date it was generated (created_at is when brun stored the row), and the
-- names it gave its arc and topic (brun import --adopt / brun pack adopt use them for arcs and topics the pack
-- lacks). All stay NULL for conversations brun generated (their prompt is the pack's, their date created_at).
ALTER TABLE conversations ADD COLUMN system_prompt TEXT;
ALTER TABLE conversations ADD COLUMN recorded_date TEXT;
ALTER TABLE conversations ADD COLUMN arc_name TEXT;
ALTER TABLE conversations ADD COLUMN topic_name TEXT;

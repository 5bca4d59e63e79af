-- What an imported file recorded about a conversation, so that an export says what the file said: the system
-- prompt its pairs were trained with and the date it was generated (created_at is when brun stored the row).
-- Both stay NULL for conversations brun generated (their prompt is the pack's, their date created_at).
ALTER TABLE conversations ADD COLUMN system_prompt TEXT;
ALTER TABLE conversations ADD COLUMN recorded_date TEXT;

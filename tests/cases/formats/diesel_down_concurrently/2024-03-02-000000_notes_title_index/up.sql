CREATE INDEX notes_title_idx ON notes (title);

-- The transcript as it was before it was last replaced (issue 11: "loses nothing"). Timing a text,
-- storing a pasted one or uploading subtitles replaces sentences; a wrong text, or one the aligner
-- accepted for the wrong video, must not cost the editor the transcript they had. One step back per
-- item: putting it back keeps the transcript it replaces here in turn. Each element is a sentence
-- with transcript_segments' column names (catalogue/rows.ts toSegment reads it).
CREATE TABLE transcript_undo (
  media_item_id integer PRIMARY KEY REFERENCES media_items (id) ON DELETE CASCADE,
  segments jsonb NOT NULL,
  replaced_at timestamptz NOT NULL
);

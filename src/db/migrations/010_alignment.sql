-- Transcripts timed automatically (issue 11). Each sentence keeps its words' times and, when the
-- aligner placed it, how sure it was; an editor reviews the flagged ones.
ALTER TABLE transcript_segments ADD COLUMN words jsonb;
-- NULL for sentences timed by hand or from subtitles; 'aligned' | 'unsure' | 'unspoken' otherwise.
ALTER TABLE transcript_segments ADD COLUMN timing text
  CHECK (timing IS NULL OR timing IN ('aligned', 'unsure', 'unspoken'));
ALTER TABLE transcript_segments ADD COLUMN confidence real;

-- One request to time a text, per item and language: the text waits here until the job has timed
-- it, so the transcript in use is replaced only by a finished result (never lost or half-replaced),
-- and a job taken up again after a crash starts from the same text. `revision` grows with every
-- request: a result for an older text is thrown away.
CREATE TABLE transcript_alignments (
  media_item_id integer NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
  lang text NOT NULL CHECK (lang IN ('en', 'fr')),
  revision integer NOT NULL DEFAULT 1,
  state text NOT NULL CHECK (state IN ('aligning', 'aligned', 'failed')),
  progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  text text NOT NULL,
  -- Sentences an editor fixed: [{"sentence": 3, "startSeconds": 12.5}], in text order.
  anchors jsonb NOT NULL DEFAULT '[]',
  -- For a failure: a stable code (the message is worded in the editor's language) and its params.
  error_code text,
  error_params jsonb,
  requested_at timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (media_item_id, lang)
);

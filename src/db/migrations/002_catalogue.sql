-- The catalogue: events with their programme, media items (video, audio, photo) with
-- their master, renditions and transcript. Bilingual fields are *_en / *_fr; either may
-- be empty where the editors wrote only one language.

CREATE EXTENSION IF NOT EXISTS unaccent;

-- Search ignores accents ("etrangeres" finds "étrangères") and stems per language.
CREATE TEXT SEARCH CONFIGURATION pr_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION pr_english ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION pr_french (COPY = french);
ALTER TEXT SEARCH CONFIGURATION pr_french ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

CREATE TABLE events (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz,
  place_en text NOT NULL DEFAULT '',
  place_fr text NOT NULL DEFAULT '',
  title_en text NOT NULL DEFAULT '',
  title_fr text NOT NULL DEFAULT '',
  summary_en text NOT NULL DEFAULT '',
  summary_fr text NOT NULL DEFAULT '',
  body_en text NOT NULL DEFAULT '',
  body_fr text NOT NULL DEFAULT '',
  published_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  search_en tsvector GENERATED ALWAYS AS (
    to_tsvector('pr_english', title_en || ' ' || summary_en || ' ' || body_en || ' ' || place_en)) STORED,
  search_fr tsvector GENERATED ALWAYS AS (
    to_tsvector('pr_french', title_fr || ' ' || summary_fr || ' ' || body_fr || ' ' || place_fr)) STORED
);
CREATE INDEX events_published ON events (starts_at DESC) WHERE published_at IS NOT NULL;

-- The programme of an event: ordered items (arrival, doorstep, press conference...),
-- optionally pointing at the media item that recorded it.
CREATE TABLE programme_items (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  position integer NOT NULL,
  starts_at timestamptz,
  title_en text NOT NULL DEFAULT '',
  title_fr text NOT NULL DEFAULT '',
  media_item_id integer
);
CREATE INDEX programme_items_event ON programme_items (event_id, position);

CREATE TABLE media_items (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id integer REFERENCES events (id) ON DELETE SET NULL,
  media_type text NOT NULL CHECK (media_type IN ('video', 'audio', 'photo')),
  -- press-conference, speech, doorstep, interview, b-roll, statement, photo-opportunity, ...
  kind text NOT NULL DEFAULT 'b-roll',
  position integer NOT NULL DEFAULT 0,
  title_en text NOT NULL DEFAULT '',
  title_fr text NOT NULL DEFAULT '',
  description_en text NOT NULL DEFAULT '',
  description_fr text NOT NULL DEFAULT '',
  shot_list_en text NOT NULL DEFAULT '',
  shot_list_fr text NOT NULL DEFAULT '',
  usage_terms_en text NOT NULL DEFAULT '',
  usage_terms_fr text NOT NULL DEFAULT '',
  credit text NOT NULL DEFAULT '',
  speakers text[] NOT NULL DEFAULT '{}',
  languages text[] NOT NULL DEFAULT '{}',
  recorded_at timestamptz,
  embargo_until timestamptz,
  published_at timestamptz,
  -- uploaded → processing → ready | failed (status_reason says why, in English, for editors)
  status text NOT NULL DEFAULT 'uploaded' CHECK (status IN ('uploaded', 'processing', 'ready', 'failed')),
  status_reason text,
  progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  duration_seconds double precision,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  search_en tsvector GENERATED ALWAYS AS (
    to_tsvector('pr_english', title_en || ' ' || description_en || ' ' || shot_list_en)) STORED,
  search_fr tsvector GENERATED ALWAYS AS (
    to_tsvector('pr_french', title_fr || ' ' || description_fr || ' ' || shot_list_fr)) STORED
);
CREATE INDEX media_items_event ON media_items (event_id, position);
CREATE INDEX media_items_latest ON media_items (recorded_at DESC NULLS LAST, id DESC) WHERE published_at IS NOT NULL;
CREATE INDEX media_items_search_en ON media_items USING gin (search_en);
CREATE INDEX media_items_search_fr ON media_items USING gin (search_fr);
CREATE INDEX events_search_en ON events USING gin (search_en);
CREATE INDEX events_search_fr ON events USING gin (search_fr);

ALTER TABLE programme_items ADD FOREIGN KEY (media_item_id) REFERENCES media_items (id) ON DELETE SET NULL;

-- The original file as uploaded, and what ffprobe found in it. `probe` holds the media
-- module's MasterInfo; the keyframe index is a file in storage (it can be large).
CREATE TABLE masters (
  media_item_id integer PRIMARY KEY REFERENCES media_items (id) ON DELETE CASCADE,
  storage_key text NOT NULL,
  original_name text NOT NULL,
  bytes bigint NOT NULL,
  probe jsonb,
  keyframe_index_key text,
  -- Editors label audio tracks: [{"index": 0, "label": "floor"}, {"index": 1, "label": "en"}, ...]
  audio_labels jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL
);

-- Derived files: hls (master playlist key), poster, storyboard (VTT key), waveform, web (photo sizes)...
CREATE TABLE renditions (
  media_item_id integer NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
  kind text NOT NULL,
  storage_key text NOT NULL,
  meta jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  PRIMARY KEY (media_item_id, kind)
);

-- The transcript "as delivered", as timed segments: a sentence maps to timecodes.
-- Q&A questions carry the journalist's name and outlet.
CREATE TABLE transcript_segments (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  media_item_id integer NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
  position integer NOT NULL,
  start_seconds double precision,
  end_seconds double precision,
  speaker text NOT NULL DEFAULT '',
  questioner_outlet text NOT NULL DEFAULT '',
  is_question boolean NOT NULL DEFAULT false,
  lang text NOT NULL CHECK (lang IN ('en', 'fr')),
  text text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    CASE WHEN lang = 'fr' THEN to_tsvector('pr_french', text) ELSE to_tsvector('pr_english', text) END) STORED
);
CREATE INDEX transcript_segments_item ON transcript_segments (media_item_id, position);
CREATE INDEX transcript_segments_tsv ON transcript_segments USING gin (tsv);

-- Downloads: usage terms accepted once per account, every download recorded, finished
-- clips cached (bounded, least recently used evicted), and API tokens for newsroom tools.

ALTER TABLE users ADD COLUMN download_terms_accepted_at timestamptz;

CREATE TABLE downloads (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  media_item_id integer NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
  -- Frames IN..OUT-1 of the master; both null for the whole item.
  in_frame integer,
  out_frame integer,
  format text NOT NULL,
  audio text NOT NULL DEFAULT 'all',
  file_name text NOT NULL,
  bytes bigint,
  created_at timestamptz NOT NULL
);
CREATE INDEX downloads_user ON downloads (user_id, created_at DESC);
CREATE INDEX downloads_item ON downloads (media_item_id, created_at DESC);

-- A finished clip in storage, found by what was asked (item, master version, range, format, audio).
CREATE TABLE clip_cache (
  cache_key text PRIMARY KEY,
  storage_key text NOT NULL,
  bytes bigint NOT NULL,
  content_type text NOT NULL,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL
);
CREATE INDEX clip_cache_lru ON clip_cache (last_used_at);

-- Personal API tokens ("Authorization: Bearer ..."); only a SHA-256 of the token is kept.
CREATE TABLE api_tokens (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

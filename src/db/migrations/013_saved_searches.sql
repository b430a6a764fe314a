-- Saved searches and the announcing of newly available items (issue 13).

-- A media user's search, kept as they typed it (words and filters, to show and to open again) and
-- as what matching reads: the words' tsquery, made by the search's own functions (pr_term_query)
-- when it is saved, so matching a new item against every saved search is one statement.
CREATE TABLE saved_searches (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  words text NOT NULL,
  -- NULL when the search has no words (filters only).
  words_query tsquery,
  kind text,
  event_slug text,
  -- Midnight UTC of the first day, and of the day after the last one (as the search page reads them).
  from_at timestamptz,
  until_at timestamptz,
  speaker text,
  -- The speaker as a LIKE pattern (its own % and _ escaped), as the search page matches it.
  speaker_pattern text,
  language text CHECK (language IN ('en', 'fr')),
  alert text NOT NULL CHECK (alert IN ('none', 'immediate', 'daily')),
  -- SHA-256 of the feed token: the token is shown once, like API tokens.
  feed_token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches (user_id, id DESC);

-- Items already announced: an item is announced once, when it first becomes available (published
-- and past any embargo), whatever happens to it afterwards.
CREATE TABLE item_announcements (
  item_id integer PRIMARY KEY REFERENCES media_items (id) ON DELETE CASCADE,
  announced_at timestamptz NOT NULL
);
-- What is available today was there before alerts existed: a deployment does not announce it.
INSERT INTO item_announcements (item_id, announced_at)
  SELECT item_id, now() FROM search_documents
  WHERE published_at <= now() AND (embargo_until IS NULL OR embargo_until <= now());

-- One daily e-mail per user and day (the digest of their daily searches).
CREATE TABLE alert_digests (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  day date NOT NULL,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  UNIQUE (user_id, day)
);

-- One row per (saved search, item) to tell its owner about: by e-mail at once, or in the next
-- digest. `sent_at` is set once the message has gone (or was skipped: the alert was turned off).
CREATE TABLE alert_deliveries (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  saved_search_id integer NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
  item_id integer NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
  alert text NOT NULL CHECK (alert IN ('immediate', 'daily')),
  created_at timestamptz NOT NULL,
  digest_id integer REFERENCES alert_digests (id) ON DELETE SET NULL,
  sent_at timestamptz,
  UNIQUE (saved_search_id, item_id)
);
CREATE INDEX alert_deliveries_pending ON alert_deliveries (alert, id) WHERE sent_at IS NULL;

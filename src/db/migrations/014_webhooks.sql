-- Webhooks (issue 13): a media user's HTTPS address told of each newly available item, for one of
-- their saved searches (013_saved_searches.sql) or for everything, and one delivery row per
-- (webhook, item) with its tries. Rows are the truth: the job queue only says when to look again.

CREATE TABLE webhooks (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  url text NOT NULL,
  -- NULL: every newly available item.
  saved_search_id integer REFERENCES saved_searches (id) ON DELETE CASCADE,
  -- The HMAC key of the signatures, shown to its owner once when the webhook is made.
  secret text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX webhooks_user ON webhooks (user_id, id);
CREATE INDEX webhooks_saved_search ON webhooks (saved_search_id);

-- pending (waiting for its next try; `claimed_until` in the future while a worker is sending it)
-- → delivered (the receiver answered 2xx: never sent again) | failed (a day of tries, or the item
-- is no longer available). `id` is the X-Pressroom-Delivery header, the same on every try.
CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY,
  webhook_id integer NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  -- NULL for a test ("Send a test" on the account page).
  item_id integer REFERENCES media_items (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  -- Tries started (a try cut short by a crash counts: it may have reached the receiver).
  attempts integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error text,
  -- NULL: at once.
  next_attempt_at timestamptz,
  first_attempt_at timestamptz,
  claimed_until timestamptz,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  UNIQUE (webhook_id, item_id)
);
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (webhook_id, created_at DESC);

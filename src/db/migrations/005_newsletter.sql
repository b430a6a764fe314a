-- The newsletter: issues composed by editors, and one delivery row per issue and subscriber.

CREATE TABLE newsletter_issues (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- draft (editable) → sending (recipient list made, job working) → sent (nothing left to send)
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'sent')),
  subject_en text NOT NULL DEFAULT '',
  subject_fr text NOT NULL DEFAULT '',
  intro_en text NOT NULL DEFAULT '',
  intro_fr text NOT NULL DEFAULT '',
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  send_started_at timestamptz,
  sent_at timestamptz
);

-- The events of an issue as the editor wrote them for it: a copy, so that what was
-- previewed is what is sent even if the event is edited later.
CREATE TABLE newsletter_issue_events (
  issue_id integer NOT NULL REFERENCES newsletter_issues (id) ON DELETE CASCADE,
  position integer NOT NULL,
  event_id integer REFERENCES events (id) ON DELETE SET NULL,
  slug text NOT NULL,
  starts_at timestamptz NOT NULL,
  place_en text NOT NULL DEFAULT '',
  place_fr text NOT NULL DEFAULT '',
  title_en text NOT NULL DEFAULT '',
  title_fr text NOT NULL DEFAULT '',
  summary_en text NOT NULL DEFAULT '',
  summary_fr text NOT NULL DEFAULT '',
  PRIMARY KEY (issue_id, position)
);

-- pending → claimed (a worker took it in a batch; nothing handed to SMTP yet, so a stale
-- claim is taken again) → sending (being handed to SMTP: after a crash nobody knows whether
-- it went, so it is never resent by itself) → sent | failed (the server refused it, too often)
-- | skipped (unsubscribed or unverified before their turn).
CREATE TABLE newsletter_deliveries (
  issue_id integer NOT NULL REFERENCES newsletter_issues (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'claimed', 'sending', 'sent', 'failed', 'skipped')),
  claim_token text,
  claimed_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  sent_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (issue_id, user_id)
);
CREATE INDEX newsletter_deliveries_todo ON newsletter_deliveries (issue_id, attempts, user_id)
  WHERE status IN ('pending', 'claimed');

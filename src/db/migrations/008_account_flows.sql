-- A sign-up or a password reset in progress, bound to whoever started it (issue 8).
--
-- Before, a pending sign-up was a row of `users` that every new sign-up for the same address
-- overwrote, so a stranger's password could end up on the account that the owner's code
-- activated. Now each sign-up is its own row, with its own code, known only by the browser or
-- API client that made it (a random token, of which only the SHA-256 is kept). `users` holds
-- verified accounts only.
CREATE TABLE account_flows (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('signup', 'reset')),
  token_hash text NOT NULL UNIQUE,
  email text NOT NULL,
  -- reset: the account whose password it resets (null for an address without an account).
  user_id integer REFERENCES users (id) ON DELETE CASCADE,
  -- signup: what the person typed; it becomes the account only when this flow's code is entered.
  password_hash text,
  name text,
  organisation text,
  country text,
  language text CHECK (language IN ('en', 'fr')),
  -- Nothing was e-mailed and no code can match (a sign-up for an address that has an account,
  -- a reset for one that has none): it answers exactly like a real flow, so the answers tell
  -- nobody whether an address is registered.
  decoy boolean NOT NULL,
  code_hash text NOT NULL,
  code_sent_at timestamptz NOT NULL,
  code_expires_at timestamptz NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL
);
CREATE INDEX account_flows_email ON account_flows (email, kind, created_at DESC);
CREATE INDEX account_flows_created ON account_flows (created_at);

-- Unverified accounts become sign-ups that their maker continues by logging in with the
-- password they chose (the old codes are not carried over: a log-in sends a fresh one).
INSERT INTO account_flows (kind, token_hash, email, password_hash, name, organisation, country, language,
  decoy, code_hash, code_sent_at, code_expires_at, created_at)
SELECT 'signup', 'migrated:' || id, email, password_hash, name, organisation, country, language,
  false, '', created_at, created_at, created_at
FROM users WHERE email_verified_at IS NULL;
DELETE FROM users WHERE email_verified_at IS NULL;

DROP TABLE verification_codes;

-- API tokens have a scope chosen at creation: "read" (browse and download) or "editor" (what the
-- account's role allows, in the API only).
ALTER TABLE api_tokens ADD COLUMN scope text NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'editor'));

CREATE INDEX attempt_counters_window ON attempt_counters (window_start);

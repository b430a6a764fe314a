-- Accounts of media users and editors. E-mail addresses are stored lower-case.
CREATE TABLE users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  name text NOT NULL,
  organisation text NOT NULL,
  country text NOT NULL,
  language text NOT NULL CHECK (language IN ('en', 'fr')),
  role text NOT NULL DEFAULT 'media' CHECK (role IN ('media', 'editor', 'admin')),
  terms_accepted_at timestamptz NOT NULL,
  email_verified_at timestamptz,
  newsletter_subscribed_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- One live code per account and purpose: sending a new one replaces (kills) the old.
-- Only an HMAC of the code is kept.
CREATE TABLE verification_codes (
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  code_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, purpose)
);

-- Sessions are looked up by the SHA-256 of the cookie value, so a copy of this table logs nobody in.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

-- Per-account attempt counters (failed log-ins, wrong codes), in fixed windows, shared by every web process.
CREATE TABLE attempt_counters (
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (key, window_start)
);

-- Server-wide secrets (code HMAC key, unsubscribe-link key), made once, shared by every process.
CREATE TABLE app_secrets (
  name text PRIMARY KEY,
  value text NOT NULL
);

import type { Queryable } from "../db/database.ts";
import type { Lang } from "../web/i18n.ts";
import type { CodePurpose } from "./codes.ts";

export type Role = "media" | "editor" | "admin";

export type User = {
  id: number;
  email: string;
  name: string;
  organisation: string;
  country: string;
  language: Lang;
  role: Role;
  emailVerified: boolean;
  newsletter: boolean;
  createdAt: Date;
};

export type UserWithPassword = User & { passwordHash: string };

export type ProfileFields = { name: string; organisation: string; country: string; language: Lang };

type UserRow = {
  id: number;
  email: string;
  password_hash: string;
  name: string;
  organisation: string;
  country: string;
  language: Lang;
  role: Role;
  email_verified_at: Date | null;
  newsletter_subscribed_at: Date | null;
  created_at: Date;
};

const userColumns =
  "id, email, password_hash, name, organisation, country, language, role, email_verified_at, newsletter_subscribed_at, created_at";

function toUser(row: UserRow): UserWithPassword {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    name: row.name,
    organisation: row.organisation,
    country: row.country,
    language: row.language,
    role: row.role,
    emailVerified: row.email_verified_at !== null,
    newsletter: row.newsletter_subscribed_at !== null,
    createdAt: row.created_at,
  };
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserWithPassword | null> {
  const rows = await db.query<UserRow>(`SELECT ${userColumns} FROM users WHERE email = $1`, [email]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function findUserById(db: Queryable, id: number): Promise<UserWithPassword | null> {
  const rows = await db.query<UserRow>(`SELECT ${userColumns} FROM users WHERE id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function insertUser(
  db: Queryable,
  fields: ProfileFields & { email: string; passwordHash: string; role?: Role; verifiedAt?: Date | null },
  now: Date,
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO users (email, password_hash, name, organisation, country, language, role,
       terms_accepted_at, email_verified_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $8) RETURNING id`,
    [
      fields.email,
      fields.passwordHash,
      fields.name,
      fields.organisation,
      fields.country,
      fields.language,
      fields.role ?? "media",
      now,
      fields.verifiedAt ?? null,
    ],
  );
  return rows[0]!.id;
}

/** Someone signing up again before verifying: their latest details win. */
export async function replacePendingUser(
  db: Queryable,
  id: number,
  fields: ProfileFields & { passwordHash: string },
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE users SET password_hash = $2, name = $3, organisation = $4, country = $5, language = $6,
       terms_accepted_at = $7, updated_at = $7
     WHERE id = $1 AND email_verified_at IS NULL`,
    [id, fields.passwordHash, fields.name, fields.organisation, fields.country, fields.language, now],
  );
}

export async function markEmailVerified(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query("UPDATE users SET email_verified_at = $2, updated_at = $2 WHERE id = $1", [id, now]);
}

export async function updateProfile(
  db: Queryable,
  id: number,
  fields: ProfileFields,
  now: Date,
): Promise<void> {
  await db.query(
    "UPDATE users SET name = $2, organisation = $3, country = $4, language = $5, updated_at = $6 WHERE id = $1",
    [id, fields.name, fields.organisation, fields.country, fields.language, now],
  );
}

export async function setPasswordHash(db: Queryable, id: number, hash: string, now: Date): Promise<void> {
  await db.query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1", [id, hash, now]);
}

export async function setRole(db: Queryable, id: number, role: Role, now: Date): Promise<void> {
  await db.query("UPDATE users SET role = $2, updated_at = $3 WHERE id = $1", [id, role, now]);
}

export async function setNewsletter(db: Queryable, id: number, subscribedAt: Date | null): Promise<void> {
  await db.query("UPDATE users SET newsletter_subscribed_at = $2 WHERE id = $1", [id, subscribedAt]);
}

// --- verification codes -------------------------------------------------------------

export type StoredCode = { codeHash: string; createdAt: Date; expiresAt: Date; failedAttempts: number };

export async function replaceCode(
  db: Queryable,
  userId: number,
  purpose: CodePurpose,
  codeHash: string,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO verification_codes (user_id, purpose, code_hash, created_at, expires_at, failed_attempts)
     VALUES ($1, $2, $3, $4, $5, 0)
     ON CONFLICT (user_id, purpose) DO UPDATE
       SET code_hash = EXCLUDED.code_hash, created_at = EXCLUDED.created_at,
           expires_at = EXCLUDED.expires_at, failed_attempts = 0`,
    [userId, purpose, codeHash, now, expiresAt],
  );
}

export async function findCode(
  db: Queryable,
  userId: number,
  purpose: CodePurpose,
): Promise<StoredCode | null> {
  const rows = await db.query<{
    code_hash: string;
    created_at: Date;
    expires_at: Date;
    failed_attempts: number;
  }>(
    "SELECT code_hash, created_at, expires_at, failed_attempts FROM verification_codes WHERE user_id = $1 AND purpose = $2",
    [userId, purpose],
  );
  const row = rows[0];
  return row
    ? {
        codeHash: row.code_hash,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        failedAttempts: row.failed_attempts,
      }
    : null;
}

/** Counts a wrong try atomically (two requests at once both count); returns the new total. */
export async function countFailedAttempt(
  db: Queryable,
  userId: number,
  purpose: CodePurpose,
): Promise<number> {
  const rows = await db.query<{ failed_attempts: number }>(
    `UPDATE verification_codes SET failed_attempts = failed_attempts + 1
     WHERE user_id = $1 AND purpose = $2 RETURNING failed_attempts`,
    [userId, purpose],
  );
  return rows[0]?.failed_attempts ?? 0;
}

export async function deleteCode(db: Queryable, userId: number, purpose: CodePurpose): Promise<void> {
  await db.query("DELETE FROM verification_codes WHERE user_id = $1 AND purpose = $2", [userId, purpose]);
}

// --- sessions -----------------------------------------------------------------------

export async function insertSession(
  db: Queryable,
  tokenHash: string,
  userId: number,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db.query(
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    [tokenHash, userId, now, expiresAt],
  );
}

export async function findSessionUser(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<UserWithPassword | null> {
  const rows = await db.query<UserRow>(
    `SELECT ${userColumns.replace(/(\w+)/g, "u.$1")} FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > $2`,
    [tokenHash, now],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query("DELETE FROM sessions WHERE token_hash = $1", [tokenHash]);
}

/** Ends every session of the account but `keepTokenHash` (the one making the change), if given. */
export async function deleteSessionsOfUser(
  db: Queryable,
  userId: number,
  keepTokenHash: string | null,
): Promise<void> {
  await db.query("DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2", [
    userId,
    keepTokenHash,
  ]);
}

export async function countSessionsOfUser(db: Queryable, userId: number): Promise<number> {
  const rows = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions WHERE user_id = $1", [
    userId,
  ]);
  return rows[0]?.n ?? 0;
}

// --- attempt counters and secrets ---------------------------------------------------

export async function addAttempt(db: Queryable, key: string, windowStart: Date): Promise<number> {
  const rows = await db.query<{ hits: number }>(
    `INSERT INTO attempt_counters (key, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET hits = attempt_counters.hits + 1 RETURNING hits`,
    [key, windowStart],
  );
  return rows[0]?.hits ?? 1;
}

export async function readAttempts(db: Queryable, key: string, windowStart: Date): Promise<number> {
  const rows = await db.query<{ hits: number }>(
    "SELECT hits FROM attempt_counters WHERE key = $1 AND window_start = $2",
    [key, windowStart],
  );
  return rows[0]?.hits ?? 0;
}

export async function deleteAttemptsBefore(db: Queryable, before: Date): Promise<void> {
  await db.query("DELETE FROM attempt_counters WHERE window_start < $1", [before]);
}

/** The secret called `name`, made by `make` the first time; every process gets the same one. */
export async function secret(db: Queryable, name: string, make: () => string): Promise<string> {
  await db.query("INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [
    name,
    make(),
  ]);
  const rows = await db.query<{ value: string }>("SELECT value FROM app_secrets WHERE name = $1", [name]);
  return rows[0]!.value;
}

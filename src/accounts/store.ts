import type { Queryable } from "../db/database.ts";
import type { Lang } from "../web/i18n.ts";
import type { Role, User } from "../web/user.ts";

export type { Role, User };

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

/**
 * A verified account (a sign-up whose code was entered, or one made by an administrator).
 * Null when the address has an account already: two sign-ups verified at once make one.
 */
export async function insertUser(
  db: Queryable,
  fields: ProfileFields & { email: string; passwordHash: string; role?: Role },
  now: Date,
): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO users (email, password_hash, name, organisation, country, language, role,
       terms_accepted_at, email_verified_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8, $8) ON CONFLICT (email) DO NOTHING RETURNING id`,
    [
      fields.email,
      fields.passwordHash,
      fields.name,
      fields.organisation,
      fields.country,
      fields.language,
      fields.role ?? "media",
      now,
    ],
  );
  return rows[0]?.id ?? null;
}

/**
 * Accounts whose address may be spelled otherwise than addresses are now (email-address.ts):
 * all but plain lower-case ASCII with a top-level domain of letters and no IDNA label.
 */
export async function usersWithUncommonAddresses(db: Queryable): Promise<{ id: number; email: string }[]> {
  return db.query<{ id: number; email: string }>(
    `SELECT id, email FROM users
     WHERE email !~ '^[a-z0-9._+-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}$' OR email LIKE '%xn--%' ORDER BY id`,
  );
}

/** Gives the account this address, unless another account has it; says whether it did. */
export async function respellUserEmail(
  db: Queryable,
  id: number,
  email: string,
  now: Date,
): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `UPDATE users SET email = $2, updated_at = $3
     WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE email = $2) RETURNING id`,
    [id, email, now],
  );
  return rows.length > 0;
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

export async function acceptDownloadTerms(db: Queryable, userId: number, now: Date): Promise<void> {
  await db.query(
    "UPDATE users SET download_terms_accepted_at = $2 WHERE id = $1 AND download_terms_accepted_at IS NULL",
    [userId, now],
  );
}

export async function hasAcceptedDownloadTerms(db: Queryable, userId: number): Promise<boolean> {
  const rows = await db.query<{ accepted: boolean }>(
    "SELECT download_terms_accepted_at IS NOT NULL AS accepted FROM users WHERE id = $1",
    [userId],
  );
  return rows[0]?.accepted === true;
}

// --- newsletter subscribers ---------------------------------------------------------

/** Who gets the newsletter: subscribed, with an address they proved is theirs. */
const subscriber = "newsletter_subscribed_at IS NOT NULL AND email_verified_at IS NOT NULL";

/** Who would receive an issue sent now, per language. */
export async function countSubscribers(db: Queryable): Promise<{ en: number; fr: number }> {
  const rows = await db.query<{ en: number; fr: number }>(
    `SELECT count(*) FILTER (WHERE language = 'en')::integer AS en, count(*) FILTER (WHERE language = 'fr')::integer AS fr
     FROM users WHERE ${subscriber}`,
  );
  return rows[0]!;
}

export async function subscriberIds(db: Queryable): Promise<number[]> {
  const rows = await db.query<{ id: number }>(`SELECT id FROM users WHERE ${subscriber} ORDER BY id`);
  return rows.map((r) => r.id);
}

/** The account as it is now (address, language), or null when it is no longer a subscriber. */
export async function findSubscriber(db: Queryable, id: number): Promise<User | null> {
  const rows = await db.query<UserRow>(`SELECT ${userColumns} FROM users WHERE id = $1 AND ${subscriber}`, [
    id,
  ]);
  if (!rows[0]) return null;
  const { passwordHash: _, ...user } = toUser(rows[0]);
  return user;
}

/** The addresses of these accounts in the database's order of addresses, at most `limit`. */
export async function emailsInOrder(
  db: Queryable,
  ids: number[],
  limit: number,
): Promise<{ id: number; email: string }[]> {
  if (ids.length === 0) return [];
  return db.query<{ id: number; email: string }>(
    "SELECT id, email FROM users WHERE id = ANY($1::int[]) ORDER BY email LIMIT $2",
    [ids, limit],
  );
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

/** Takes back one count added by addAttempt (a use that was refused after all). */
export async function releaseAttempt(db: Queryable, key: string, windowStart: Date): Promise<void> {
  await db.query("UPDATE attempt_counters SET hits = hits - 1 WHERE key = $1 AND window_start = $2", [
    key,
    windowStart,
  ]);
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

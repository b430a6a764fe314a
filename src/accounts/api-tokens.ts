import { randomBytes } from "node:crypto";
import type { Queryable } from "../db/database.ts";
import { UserError } from "../errors.ts";
import type { AccountsDeps } from "./deps.ts";
import { hashToken } from "./sessions.ts";
import { findUserById, type User } from "./store.ts";

/**
 * Personal API tokens for newsroom tools (`Authorization: Bearer prt_…`). The token is shown
 * once when made; only its SHA-256 is stored, like session tokens.
 */
export type ApiToken = { id: number; name: string; createdAt: Date; lastUsedAt: Date | null };

const PREFIX = "prt_";

export async function createApiToken(
  deps: Pick<AccountsDeps, "db" | "now">,
  user: User,
  name: string,
): Promise<string> {
  const label = name.trim().slice(0, 100);
  if (!label) throw new UserError("invalid_input", {}, { name: ["field.required"] });
  const token = PREFIX + randomBytes(32).toString("base64url");
  await deps.db.query(
    "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)",
    [user.id, label, hashToken(token), deps.now()],
  );
  return token;
}

export async function listApiTokens(db: Queryable, userId: number): Promise<ApiToken[]> {
  const rows = await db.query<{ id: number; name: string; created_at: Date; last_used_at: Date | null }>(
    "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC",
    [userId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

export async function revokeApiToken(db: Queryable, userId: number, tokenId: number): Promise<void> {
  await db.query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2", [tokenId, userId]);
}

/** The account behind an `Authorization: Bearer` header, or null. */
export async function userForBearer(
  deps: Pick<AccountsDeps, "db" | "now">,
  header: string | undefined,
): Promise<User | null> {
  const match = header?.match(/^Bearer\s+(prt_[\w-]{20,})$/i);
  if (!match) return null;
  const rows = await deps.db.query<{ user_id: number }>(
    "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 RETURNING user_id",
    [hashToken(match[1]!), deps.now()],
  );
  const found = rows[0] ? await findUserById(deps.db, rows[0].user_id) : null;
  if (!found?.emailVerified) return null;
  const { passwordHash: _, ...user } = found;
  return user;
}

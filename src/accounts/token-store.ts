import type { Queryable } from "../db/database.ts";
import type { TokenScope } from "./api-tokens.ts";

/** Table api_tokens: only the SHA-256 of each token is kept. */
export type ApiToken = {
  id: number;
  name: string;
  scope: TokenScope;
  createdAt: Date;
  lastUsedAt: Date | null;
};

export async function insertApiToken(
  db: Queryable,
  token: { userId: number; name: string; tokenHash: string; scope: TokenScope },
  now: Date,
): Promise<void> {
  await db.query(
    "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at) VALUES ($1, $2, $3, $4, $5)",
    [token.userId, token.name, token.tokenHash, token.scope, now],
  );
}

export async function listApiTokens(db: Queryable, userId: number): Promise<ApiToken[]> {
  const rows = await db.query<{
    id: number;
    name: string;
    scope: TokenScope;
    created_at: Date;
    last_used_at: Date | null;
  }>(
    "SELECT id, name, scope, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
    [userId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scope: r.scope,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

/** False when the account has no such token (never made, revoked already, or someone else's). */
export async function revokeApiToken(db: Queryable, userId: number, tokenId: number): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2 RETURNING id",
    [tokenId, userId],
  );
  return rows.length > 0;
}

export async function revokeAllApiTokens(db: Queryable, userId: number): Promise<void> {
  await db.query("DELETE FROM api_tokens WHERE user_id = $1", [userId]);
}

/** The account and scope of a token, counting this as its last use; null for an unknown token. */
export async function useApiToken(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<{ userId: number; scope: TokenScope } | null> {
  const rows = await db.query<{ user_id: number; scope: TokenScope }>(
    "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 RETURNING user_id, scope",
    [tokenHash, now],
  );
  const row = rows[0];
  return row ? { userId: row.user_id, scope: row.scope } : null;
}

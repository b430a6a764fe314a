import { randomBytes } from "node:crypto";
import type { Queryable } from "../db/database.ts";
import { UserError } from "../errors.ts";
import type { AccountsDeps } from "./deps.ts";
import { isEditor } from "./guards.ts";
import { hashToken } from "./sessions.ts";
import { findUserById, type User } from "./store.ts";

/**
 * Personal API tokens for newsroom tools (`Authorization: Bearer prt_…`), for the JSON API only:
 * pages and forms never accept them. Each has a scope chosen when it is made: "read" browses and
 * downloads as a media user; "editor" (editors only) does in the API what the account's role
 * allows. The token is shown once; only its SHA-256 is stored, like session tokens. A password
 * reset revokes them all; a password change asks.
 */
export const tokenScopes = ["read", "editor"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export type ApiToken = {
  id: number;
  name: string;
  scope: TokenScope;
  createdAt: Date;
  lastUsedAt: Date | null;
};

const PREFIX = "prt_";

export function isTokenScope(value: unknown): value is TokenScope {
  return tokenScopes.includes(value as TokenScope);
}

export async function createApiToken(
  deps: Pick<AccountsDeps, "db" | "now">,
  user: User,
  name: string,
  scope: string,
): Promise<string> {
  const label = name.trim().slice(0, 100);
  const problems: Record<string, string[]> = {};
  if (!label) problems.name = ["field.required"];
  if (!isTokenScope(scope) || (scope === "editor" && !isEditor(user))) problems.scope = ["field.invalid"];
  if (Object.keys(problems).length > 0) throw new UserError("invalid_input", {}, problems);
  const token = PREFIX + randomBytes(32).toString("base64url");
  await deps.db.query(
    "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at) VALUES ($1, $2, $3, $4, $5)",
    [user.id, label, hashToken(token), scope, deps.now()],
  );
  return token;
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

export async function revokeApiToken(db: Queryable, userId: number, tokenId: number): Promise<void> {
  await db.query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2", [tokenId, userId]);
}

export async function revokeAllApiTokens(db: Queryable, userId: number): Promise<void> {
  await db.query("DELETE FROM api_tokens WHERE user_id = $1", [userId]);
}

/**
 * The account behind an `Authorization: Bearer` header, as its token's scope lets it act: a
 * "read" token acts as a media user whatever the account's role. Null for anything else.
 */
export async function userForBearer(
  deps: Pick<AccountsDeps, "db" | "now">,
  header: string | undefined,
): Promise<User | null> {
  const match = header?.match(/^Bearer\s+(prt_[\w-]{20,100})$/i);
  if (!match) return null;
  const rows = await deps.db.query<{ user_id: number; scope: TokenScope }>(
    "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 RETURNING user_id, scope",
    [hashToken(match[1]!), deps.now()],
  );
  const row = rows[0];
  const found = row ? await findUserById(deps.db, row.user_id) : null;
  if (!row || !found?.emailVerified) return null;
  const { passwordHash: _, ...user } = found;
  return row.scope === "editor" ? user : { ...user, role: "media" };
}

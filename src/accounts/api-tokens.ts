import { randomBytes } from "node:crypto";
import { UserError } from "../core/errors.ts";
import { addProblem, type FieldProblems } from "../web/form.ts";
import { isEditor } from "../web/guards.ts";
import type { AccountsDeps } from "./deps.ts";
import { hashToken } from "./sessions.ts";
import { findUserById, type User } from "./store.ts";
import { insertApiToken, useApiToken } from "./token-store.ts";

/**
 * Personal API tokens for newsroom tools (`Authorization: Bearer prt_…`), for the JSON API only:
 * pages and forms never accept them. Each has a scope chosen when it is made: "read" browses and
 * downloads as a media user; "editor" (editors only) does in the API what the account's role
 * allows. The token is shown once; only its SHA-256 is stored, like session tokens. A password
 * reset revokes them all; a password change asks.
 */
export const tokenScopes = ["read", "editor"] as const;
export type TokenScope = (typeof tokenScopes)[number];

const PREFIX = "prt_";
const MAX_NAME = 100;

export function isTokenScope(value: unknown): value is TokenScope {
  return tokenScopes.includes(value as TokenScope);
}

export async function createApiToken(
  deps: Pick<AccountsDeps, "db" | "now">,
  user: User,
  name: string,
  scope: string,
): Promise<string> {
  const label = name.trim();
  const allowed = isTokenScope(scope) && (scope === "read" || isEditor(user)) ? scope : null;
  const problems: FieldProblems = {};
  // Named as the form names the field.
  if (!label) addProblem(problems, "tokenName", "field.required");
  else if (label.length > MAX_NAME) addProblem(problems, "tokenName", "account.tokens.name_too_long");
  if (allowed === null) addProblem(problems, "scope", "field.invalid");
  if (allowed === null || Object.keys(problems).length > 0)
    throw new UserError("invalid_input", {}, problems);
  const token = PREFIX + randomBytes(32).toString("base64url");
  await insertApiToken(
    deps.db,
    { userId: user.id, name: label, tokenHash: hashToken(token), scope: allowed },
    deps.now(),
  );
  return token;
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
  const row = await useApiToken(deps.db, hashToken(match[1]!), deps.now());
  const found = row ? await findUserById(deps.db, row.userId) : null;
  if (!row || !found?.emailVerified) return null;
  const { passwordHash: _, ...user } = found;
  return row.scope === "editor" ? user : { ...user, role: "media" };
}

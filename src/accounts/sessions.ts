import { createHash, randomBytes } from "node:crypto";
import { type AccountsDeps, SESSION_TTL_MS } from "./deps.ts";
import { deleteSession, findSessionUser, insertSession, type User } from "./store.ts";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new session; the token goes to the cookie, only its hash to the database. */
export async function startSession(deps: Pick<AccountsDeps, "db" | "now">, userId: number): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const now = deps.now();
  await insertSession(deps.db, hashToken(token), userId, now, new Date(now.getTime() + SESSION_TTL_MS));
  return token;
}

export async function userForSession(
  deps: Pick<AccountsDeps, "db" | "now">,
  token: string | undefined,
): Promise<User | null> {
  if (!token) return null;
  const user = await findSessionUser(deps.db, hashToken(token), deps.now());
  if (!user) return null;
  const { passwordHash: _, ...withoutHash } = user;
  return withoutHash;
}

export async function endSession(deps: Pick<AccountsDeps, "db">, token: string | undefined): Promise<void> {
  if (token) await deleteSession(deps.db, hashToken(token));
}

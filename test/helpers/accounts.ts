import { insertUser, type Role } from "../../src/accounts/store.ts";
import type { Queryable } from "../../src/db/database.ts";

/** The session cookie's name on http (on https it is `__Host-pressroom_session`). */
export const SESSION_COOKIE = "pressroom_session";

/** A verified account straight in the database, as `npm run cli -- user:add` makes one. */
export async function createAccount(
  db: Queryable,
  now: Date,
  account: { email: string; role: Role; passwordHash?: string; name?: string },
): Promise<number> {
  const id = await insertUser(
    db,
    {
      email: account.email,
      passwordHash: account.passwordHash ?? "not-used",
      name: account.name ?? account.email.split("@")[0]!,
      organisation: "Pressroom",
      country: "BE",
      language: "en",
      role: account.role,
    },
    now,
  );
  if (id === null) throw new Error(`${account.email} has an account already`);
  return id;
}

import { UserError } from "../core/errors.ts";
import type { Queryable } from "../db/database.ts";
import type { Role } from "../web/user.ts";
import { hashPassword } from "./password-hash.ts";
import { findUserByEmail, insertUser, setPasswordHash, setRole } from "./store.ts";
import { checkEmail, checkNewPassword, throwIfAccountProblems } from "./validate.ts";

const roles: Role[] = ["media", "editor", "admin"];

export type AccountRequest = {
  email?: string | undefined;
  password?: string | undefined;
  role?: string | undefined;
  name?: string | undefined;
  organisation?: string | undefined;
  country?: string | undefined;
  language?: string | undefined;
};

/**
 * For the operator (`npm run cli -- user:add`): a verified account with a role, or an existing
 * one given the role (and the password, if one is given). No code is e-mailed: the operator vouches.
 */
export async function addAccount(db: Queryable, request: AccountRequest, now: Date) {
  const problems: Record<string, string[]> = {};
  const email = checkEmail(request.email, problems);
  const password = request.password === undefined ? null : checkNewPassword(request.password, problems);
  const role = roles.find((r) => r === (request.role ?? "media"));
  if (!role) problems.role = ["field.invalid"];
  throwIfAccountProblems(problems);
  if (!role) throw new UserError("invalid_input", {}, problems);
  const existing = await findUserByEmail(db, email);
  if (existing) {
    await setRole(db, existing.id, role, now);
    if (password) await setPasswordHash(db, existing.id, await hashPassword(password), now);
    return { id: existing.id, email, role, created: false };
  }
  if (!password) throw new UserError("invalid_input", {}, { password: ["field.required"] });
  const id = await insertUser(
    db,
    {
      email,
      passwordHash: await hashPassword(password),
      name: request.name ?? email.split("@")[0] ?? email,
      organisation: request.organisation ?? "Pressroom",
      country: request.country ?? "BE",
      language: request.language === "fr" ? "fr" : "en",
      role,
    },
    now,
  );
  if (id === null) throw new UserError("invalid_input", {}, { email: ["field.invalid"] });
  return { id, email, role, created: true };
}

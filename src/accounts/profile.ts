import { createHmac, timingSafeEqual } from "node:crypto";
import { UserError } from "../core/errors.ts";
import { newsletterWelcomeMail } from "../mail/messages.ts";
import type { AccountsDeps } from "./deps.ts";
import { hashPassword, verifyPassword } from "./password-hash.ts";
import { hashToken } from "./sessions.ts";
import {
  deleteSessionsOfUser,
  findUserById,
  setNewsletter,
  setPasswordHash,
  type User,
  updateProfile,
} from "./store.ts";
import { revokeAllApiTokens } from "./token-store.ts";
import { checkNewPassword, checkProfile, throwIfAccountProblems } from "./validate.ts";

export async function changeProfile(
  deps: AccountsDeps,
  user: User,
  input: Record<string, unknown>,
): Promise<User> {
  const problems: Record<string, string[]> = {};
  const fields = checkProfile(input, problems);
  throwIfAccountProblems(problems);
  await updateProfile(deps.db, user.id, fields, deps.now());
  return { ...user, ...fields };
}

/**
 * Asks for the current password; every other session of the account ends. API tokens are
 * revoked too when the user says so (the form asks, ticked by default: a password changed
 * because it leaked should not leave tokens made with it).
 */
export async function changePassword(
  deps: AccountsDeps,
  user: User,
  currentPassword: string,
  newPassword: string,
  currentSessionToken: string | undefined,
  options: { revokeTokens: boolean },
): Promise<void> {
  const problems: Record<string, string[]> = {};
  checkNewPassword(newPassword, problems, "newPassword");
  throwIfAccountProblems(problems);
  const stored = await findUserById(deps.db, user.id);
  if (!stored || !(await verifyPassword(stored.passwordHash, currentPassword))) {
    throw new UserError("wrong_current_password", {}, { currentPassword: ["error.wrong_current_password"] });
  }
  const hash = await hashPassword(newPassword);
  await deps.db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, hash, deps.now());
    await deleteSessionsOfUser(tx, user.id, currentSessionToken ? hashToken(currentSessionToken) : null);
    if (options.revokeTokens) await revokeAllApiTokens(tx, user.id);
  });
}

/**
 * One click: the account's address is already verified, so there is no second
 * confirmation. A welcome mail carries the one-click unsubscribe every newsletter has.
 */
export async function subscribeNewsletter(deps: AccountsDeps, user: User): Promise<void> {
  if (user.newsletter) return;
  await setNewsletter(deps.db, user.id, deps.now());
  await deps.mailer.send(
    user.email,
    newsletterWelcomeMail(user.language, user.name, unsubscribeUrl(deps, user)),
  );
}

export async function unsubscribeNewsletter(deps: AccountsDeps, userId: number): Promise<void> {
  await setNewsletter(deps.db, userId, null);
}

/** A link that unsubscribes without logging in: the account id signed with the server secret. */
export function unsubscribeUrl(deps: Pick<AccountsDeps, "secret" | "config">, user: User): string {
  return `${deps.config.publicUrl}/${user.language}/newsletter/unsubscribe?u=${user.id}&t=${unsubscribeSignature(deps.secret, user.id)}`;
}

function unsubscribeSignature(secret: string, userId: number): string {
  return createHmac("sha256", secret).update(`unsubscribe:${userId}`).digest("base64url");
}

/** The account id of a valid unsubscribe link, or an `unsubscribe_link_invalid` error. */
export function checkUnsubscribeLink(secret: string, u: unknown, t: unknown): number {
  const userId = Number(u);
  if (!Number.isInteger(userId) || userId <= 0 || typeof t !== "string")
    throw new UserError("unsubscribe_link_invalid");
  const expected = Buffer.from(unsubscribeSignature(secret, userId));
  const given = Buffer.from(t);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new UserError("unsubscribe_link_invalid");
  }
  return userId;
}

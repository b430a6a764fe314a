import { checkCode } from "./code-check.ts";
import type { AccountsDeps } from "./deps.ts";
import { hashPassword } from "./password-hash.ts";
import { sendCode } from "./send-code.ts";
import { deleteCode, deleteSessionsOfUser, findUserByEmail, setPasswordHash } from "./store.ts";
import { checkNewPassword, normaliseEmail, throwIfProblems } from "./validate.ts";

/**
 * "Enter the e-mail you registered with": the answer never depends on the address. The
 * mail goes out after the answer, so the time taken does not tell either.
 */
export async function requestPasswordReset(deps: AccountsDeps, emailInput: string): Promise<void> {
  const user = await findUserByEmail(deps.db, normaliseEmail(emailInput));
  if (!user?.emailVerified) return;
  const { passwordHash: _, ...profile } = user;
  sendCode(deps, profile, "reset_password", { quiet: true }).catch((error: unknown) =>
    deps.log.error({ err: error, userId: user.id }, "Could not send the password reset code"),
  );
}

/** The code step of the reset form: checked (and counted) before the new password is asked. */
export async function checkResetCode(deps: AccountsDeps, emailInput: string, code: string): Promise<void> {
  const user = await findUserByEmail(deps.db, normaliseEmail(emailInput));
  await checkCode(deps, user?.emailVerified ? user : null, "reset_password", code);
}

/** Sets the new password, uses up the code and ends every session of the account. */
export async function confirmPasswordReset(
  deps: AccountsDeps,
  emailInput: string,
  code: string,
  newPassword: string,
): Promise<void> {
  const problems: Record<string, string[]> = {};
  checkNewPassword(newPassword, problems);
  throwIfProblems(problems);
  const found = await findUserByEmail(deps.db, normaliseEmail(emailInput));
  const user = await checkCode(deps, found?.emailVerified ? found : null, "reset_password", code);
  const hash = await hashPassword(newPassword);
  await deps.db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, hash, deps.now());
    await deleteCode(tx, user.id, "reset_password");
    await deleteSessionsOfUser(tx, user.id, null);
  });
}

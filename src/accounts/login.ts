import { UserError } from "../errors.ts";
import { assertAttemptsLeft, loginFailures, recordFailedAttempt } from "./attempts.ts";
import type { AccountsDeps } from "./deps.ts";
import { verifyAgainstNothing, verifyPassword } from "./password-hash.ts";
import { sendCode } from "./send-code.ts";
import { startSession } from "./sessions.ts";
import type { User } from "./store.ts";
import { findUserByEmail } from "./store.ts";
import { normaliseEmail } from "./validate.ts";

/**
 * Log-in with e-mail and password. Wrong address and wrong password give the same
 * answer in about the same time. A correct password on an unverified account sends a
 * fresh code (at most once a minute) and says the address needs verifying.
 */
export async function logIn(
  deps: AccountsDeps,
  emailInput: string,
  password: string,
): Promise<{ user: User; sessionToken: string }> {
  const email = normaliseEmail(emailInput);
  const now = deps.now();
  const limit = loginFailures(deps.limits.loginFailuresPerAccount);
  await assertAttemptsLeft(deps.db, limit, email, now);
  const found = await findUserByEmail(deps.db, email);
  if (!found) {
    await verifyAgainstNothing(password);
    await recordFailedAttempt(deps.db, limit, email, now);
    throw new UserError("invalid_credentials");
  }
  if (!(await verifyPassword(found.passwordHash, password))) {
    await recordFailedAttempt(deps.db, limit, email, now);
    throw new UserError("invalid_credentials");
  }
  const { passwordHash: _, ...user } = found;
  if (!user.emailVerified) {
    await sendCode(deps, user, "verify_email", { quiet: true });
    throw new UserError("email_not_verified");
  }
  return { user, sessionToken: await startSession(deps, user.id) };
}

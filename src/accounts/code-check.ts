import { UserError } from "../errors.ts";
import { assertAttemptsLeft, codeFailures, recordFailedAttempt } from "./attempts.ts";
import { type CodePurpose, codeMatches, MAX_CODE_ATTEMPTS, normaliseCode } from "./codes.ts";
import type { AccountsDeps } from "./deps.ts";
import { countFailedAttempt, findCode, type UserWithPassword } from "./store.ts";

/**
 * Checks a code the user typed against the live one. A wrong code says how many tries
 * are left; the fifth wrong try kills the code; an expired code says so. An unknown
 * account answers exactly like a wrong code, so the form does not reveal who has one.
 */
export async function checkCode(
  deps: AccountsDeps,
  user: UserWithPassword | null,
  purpose: CodePurpose,
  typed: string,
): Promise<UserWithPassword> {
  const now = deps.now();
  const limit = codeFailures(deps.limits.codeFailuresPerAccount);
  const account = user?.email ?? "unknown";
  if (user) await assertAttemptsLeft(deps.db, limit, account, now);
  const stored = user ? await findCode(deps.db, user.id, purpose) : null;
  if (!user || !stored) throw new UserError("code_invalid", { remaining: MAX_CODE_ATTEMPTS });
  if (stored.failedAttempts >= MAX_CODE_ATTEMPTS) throw new UserError("code_exhausted");
  if (stored.expiresAt.getTime() <= now.getTime()) throw new UserError("code_expired");
  if (
    !/^\d{6}$/.test(normaliseCode(typed)) ||
    !codeMatches(deps.secret, user.id, purpose, typed, stored.codeHash)
  ) {
    const failures = await countFailedAttempt(deps.db, user.id, purpose);
    await recordFailedAttempt(deps.db, limit, account, now);
    if (failures >= MAX_CODE_ATTEMPTS) throw new UserError("code_exhausted");
    throw new UserError("code_invalid", { remaining: MAX_CODE_ATTEMPTS - failures });
  }
  return user;
}

import { UserError } from "../errors.ts";
import { passwordResetCodeMail, verificationCodeMail } from "../mail/messages.ts";
import { CODE_TTL_MS, type CodePurpose, hashCode, newCode, RESEND_INTERVAL_MS } from "./codes.ts";
import type { AccountsDeps } from "./deps.ts";
import { findCode, replaceCode, type User } from "./store.ts";

/**
 * Makes a new code (killing the previous one) and e-mails it, at most once a minute per
 * account and purpose. `quiet` skips instead of throwing when it is too soon, for flows
 * whose answer must not depend on the account (password reset, a second sign-up).
 */
export async function sendCode(
  deps: AccountsDeps,
  user: User,
  purpose: CodePurpose,
  options: { quiet: boolean },
): Promise<void> {
  const now = deps.now();
  const previous = await findCode(deps.db, user.id, purpose);
  if (previous) {
    const wait = previous.createdAt.getTime() + RESEND_INTERVAL_MS - now.getTime();
    if (wait > 0) {
      if (options.quiet) return;
      throw new UserError("resend_too_soon", { seconds: Math.ceil(wait / 1000) });
    }
  }
  const code = newCode(deps.random);
  await replaceCode(
    deps.db,
    user.id,
    purpose,
    hashCode(deps.secret, user.id, purpose, code),
    now,
    new Date(now.getTime() + CODE_TTL_MS),
  );
  const mail =
    purpose === "verify_email"
      ? verificationCodeMail(user.language, user.name, code)
      : passwordResetCodeMail(user.language, user.name, code);
  await deps.mailer.send(user.email, mail);
}

import { UserError } from "../errors.ts";
import { alreadyRegisteredMail } from "../mail/messages.ts";
import { type AttemptLimit, attemptAllowed } from "./attempts.ts";
import { checkCode } from "./code-check.ts";
import type { AccountsDeps } from "./deps.ts";
import { hashPassword } from "./password-hash.ts";
import { sendCode } from "./send-code.ts";
import { startSession } from "./sessions.ts";
import {
  deleteCode,
  findUserByEmail,
  insertUser,
  markEmailVerified,
  replacePendingUser,
  type User,
} from "./store.ts";
import { checkEmail, checkNewPassword, checkProfile, normaliseEmail, throwIfProblems } from "./validate.ts";

const ownerNotices: AttemptLimit = { prefix: "notice", max: 3, windowMs: 60 * 60_000 };

export type RegistrationInput = {
  email: unknown;
  password: unknown;
  name: unknown;
  organisation: unknown;
  country: unknown;
  language: unknown;
  acceptTerms: unknown;
};

/**
 * Step 1 of the account flow. The answer is the same whether or not the address has an
 * account ("check your inbox"): a new or still unverified address gets a code, a
 * verified one gets a note telling its owner that someone tried to sign up with it.
 */
export async function register(deps: AccountsDeps, input: RegistrationInput): Promise<{ email: string }> {
  const problems: Record<string, string[]> = {};
  const email = checkEmail(input.email, problems);
  const password = checkNewPassword(input.password, problems);
  const profile = checkProfile(input, problems);
  if (input.acceptTerms !== true && input.acceptTerms !== "on" && input.acceptTerms !== "true") {
    problems.acceptTerms = ["field.terms_required"];
  }
  throwIfProblems(problems);

  // Hashed in every branch so the time taken does not tell which branch ran.
  const passwordHash = await hashPassword(password);
  const now = deps.now();
  const existing = await findUserByEmail(deps.db, email);
  if (existing?.emailVerified) {
    // Each try e-mails the owner: a few an hour at most, or the form becomes a way to flood them.
    if (!(await attemptAllowed(deps.db, ownerNotices, existing.email, now))) return { email };
    const base = `${deps.publicUrl}/${existing.language}`;
    await deps.mailer.send(
      existing.email,
      alreadyRegisteredMail(existing.language, existing.name, `${base}/login`, `${base}/password-reset`),
    );
    return { email };
  }
  let user: User;
  if (existing) {
    await replacePendingUser(deps.db, existing.id, { ...profile, passwordHash }, now);
    user = { ...existing, ...profile };
  } else {
    const id = await insertUser(deps.db, { ...profile, email, passwordHash }, now);
    user = { id, email, ...profile, role: "media", emailVerified: false, newsletter: false, createdAt: now };
  }
  // A repeated sign-up within the minute keeps the code already sent.
  await sendCode(deps, user, "verify_email", { quiet: true });
  return { email };
}

/** Step 2: the right code verifies the address and logs the user in. */
export async function verifyEmail(
  deps: AccountsDeps,
  emailInput: string,
  code: string,
): Promise<{ user: User; sessionToken: string }> {
  const found = await findUserByEmail(deps.db, normaliseEmail(emailInput));
  const user = await checkCode(deps, found && !found.emailVerified ? found : null, "verify_email", code);
  await markEmailVerified(deps.db, user.id, deps.now());
  await deleteCode(deps.db, user.id, "verify_email");
  const sessionToken = await startSession(deps, user.id);
  return { user: { ...user, emailVerified: true }, sessionToken };
}

/**
 * "Didn't receive a code? Send a new code": kills the old code and sends a new one, at
 * most once a minute. An address with nothing to verify gets the same answer, and no mail.
 */
export async function resendVerification(deps: AccountsDeps, emailInput: string): Promise<void> {
  const user = await findUserByEmail(deps.db, normaliseEmail(emailInput));
  if (!user || user.emailVerified) return;
  await sendCode(deps, user, "verify_email", { quiet: false });
}

export function assertVerified(user: User): void {
  if (!user.emailVerified) throw new UserError("email_not_verified");
}

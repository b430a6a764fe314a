import { UserError } from "../core/errors.ts";
import { alreadyRegisteredMail, verificationCodeMail } from "../mail/messages.ts";
import { attemptsOf, ownerNotices } from "./attempts.ts";
import { codeMatches, looksLikeCode, MAX_CODE_ATTEMPTS } from "./codes.ts";
import type { AccountsDeps } from "./deps.ts";
import { deleteFlowsOf, type Flow, recentFlows } from "./flow-store.ts";
import {
  type CodeDelivery,
  checkFlowCode,
  codeLimit,
  FLOW_TTL_MS,
  flowOfToken,
  resendFlowCode,
  startFlow,
} from "./flows.ts";
import { hashPassword, verifyAgainstNothing, verifyPassword } from "./password-hash.ts";
import { startSession } from "./sessions.ts";
import { findUserByEmail, insertUser, type User } from "./store.ts";
import {
  checkEmail,
  checkNewPassword,
  checkProfile,
  normaliseEmail,
  throwIfAccountProblems,
} from "./validate.ts";

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
 * Step 1 of the account flow: a sign-up of its own, known by the token returned (the page puts
 * it in a cookie). The answer is the same whether or not the address has an account ("check
 * your inbox"): a new address gets a code; an address with an account gets a decoy sign-up that
 * can never be verified, and its owner a note that someone tried to sign up with it.
 */
export async function register(
  deps: AccountsDeps,
  input: RegistrationInput,
  client: string,
): Promise<{ email: string; token: string }> {
  const problems: Record<string, string[]> = {};
  const email = checkEmail(input.email, problems);
  const password = checkNewPassword(input.password, problems);
  const profile = checkProfile(input, problems);
  if (input.acceptTerms !== true && input.acceptTerms !== "on" && input.acceptTerms !== "true") {
    problems.acceptTerms = ["field.terms_required"];
  }
  throwIfAccountProblems(problems);

  // Hashed in every branch so the time taken does not tell which branch ran.
  const passwordHash = await hashPassword(password);
  const owner = await findUserByEmail(deps.db, email);
  const token = await startFlow(
    deps,
    { kind: "signup", email, userId: null, signup: { ...profile, passwordHash }, decoy: owner !== null },
    client,
    owner ? () => null : signupCode(email, profile.language, profile.name),
  );
  if (owner) noticeOwnerLater(deps, email, client);
  return { email, token };
}

function signupCode(email: string, lang: User["language"], name: string): CodeDelivery {
  return (code) => ({ to: email, mail: verificationCodeMail(lang, name, code) });
}

/** Each try e-mails the owner: a few an hour at most, or the form becomes a way to flood them. */
function noticeOwnerLater(deps: AccountsDeps, email: string, client: string): void {
  deps.afterAnswer.run(async () => {
    const owner = await findUserByEmail(deps.db, email);
    if (!owner || !(await attemptsOf(deps.db, ownerNotices, email, client, deps.now()).allowed())) return;
    const base = `${deps.config.publicUrl}/${owner.language}`;
    await deps.mailer.send(
      owner.email,
      alreadyRegisteredMail(owner.language, owner.name, `${base}/login`, `${base}/password-reset`),
    );
  });
}

export type VerifyInput = {
  email: string;
  code: string;
  /** The sign-up's token (cookie or API field), when the client that signed up verifies. */
  token?: string | undefined;
  /** The password chosen in the sign-up, when verifying from another browser or client. */
  password?: string | undefined;
};

/**
 * Step 2: the right code verifies the address, makes the account from the sign-up it belongs to
 * and logs the user in. Only the client that made the sign-up (its token) or someone who knows
 * the password chosen in it can do that: holding the e-mailed code alone is not enough.
 */
export async function verifyEmail(
  deps: AccountsDeps,
  input: VerifyInput,
  client: string,
): Promise<{ user: User; sessionToken: string }> {
  const email = normaliseEmail(input.email);
  await attemptsOf(deps.db, codeLimit(deps), email, client, deps.now()).assertLeft();
  if (input.token) {
    const flow = await flowOfToken(deps.db, "signup", input.token, email);
    if (!flow) throw new UserError("flow_missing");
    await checkFlowCode(deps, flow, input.code, client);
    return activate(deps, flow);
  }
  if (!input.password) throw new UserError("invalid_input", {}, { password: ["field.required"] });
  return activate(deps, await signupByPassword(deps, email, input.code, input.password, client));
}

/**
 * Without the token: the sign-up whose code this is, if its password is the one given. Exactly
 * one password check runs in every case, so the time taken does not tell whether one matched.
 */
async function signupByPassword(
  deps: AccountsDeps,
  email: string,
  code: string,
  password: string,
  client: string,
): Promise<Flow> {
  const now = deps.now();
  const candidates = await recentFlows(deps.db, "signup", email, new Date(now.getTime() - FLOW_TTL_MS), 10);
  const flow = candidates.find(
    (f) =>
      !f.decoy &&
      f.signup !== null &&
      f.failedAttempts < MAX_CODE_ATTEMPTS &&
      f.codeExpiresAt.getTime() > now.getTime() &&
      looksLikeCode(code) &&
      codeMatches(deps.secret, "signup", email, code, f.codeHash),
  );
  const passwordHash = flow?.signup?.passwordHash;
  const passwordMatches = passwordHash
    ? await verifyPassword(passwordHash, password)
    : await verifyAgainstNothing(password).then(() => false);
  if (flow && passwordMatches) return flow;
  await attemptsOf(deps.db, codeLimit(deps), email, client, now).recordFailure();
  throw new UserError("code_or_password_invalid");
}

async function activate(deps: AccountsDeps, flow: Flow): Promise<{ user: User; sessionToken: string }> {
  const signup = flow.signup;
  if (!signup) throw new UserError("flow_missing");
  const now = deps.now();
  const id = await deps.db.transaction(async (tx) => {
    const created = await insertUser(tx, { email: flow.email, ...signup }, now);
    // Every other sign-up for the address ends here, a stranger's included.
    await deleteFlowsOf(tx, "signup", flow.email);
    return created;
  });
  // Verified in the meantime through another sign-up of the same person.
  if (id === null) throw new UserError("flow_missing");
  const { passwordHash: _, ...profile } = signup;
  const user: User = {
    id,
    email: flow.email,
    ...profile,
    role: "media",
    emailVerified: true,
    newsletter: false,
    createdAt: now,
  };
  return { user, sessionToken: await startSession(deps, id) };
}

/**
 * "Didn't receive a code? Send a new code": kills the old code of the client's sign-up and sends
 * a new one, at most once a minute. Without a sign-up of its own the client gets the same
 * answer, and nothing is sent.
 */
export async function resendVerification(
  deps: AccountsDeps,
  emailInput: string,
  token: string | undefined,
  client: string,
): Promise<void> {
  const flow = await flowOfToken(deps.db, "signup", token, normaliseEmail(emailInput));
  const signup = flow?.signup;
  if (!flow || !signup) return;
  const deliver = flow.decoy ? () => null : signupCode(flow.email, signup.language, signup.name);
  await resendFlowCode(deps, flow, client, deliver, { quiet: false });
  if (flow.decoy) noticeOwnerLater(deps, flow.email, client);
}

export function assertVerified(user: User): void {
  if (!user.emailVerified) throw new UserError("email_not_verified");
}

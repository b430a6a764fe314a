import { UserError } from "../core/errors.ts";
import { verificationCodeMail } from "../mail/messages.ts";
import { attemptsOf, loginFailures } from "./attempts.ts";
import type { AccountsDeps } from "./deps.ts";
import { rebindFlow, recentFlows } from "./flow-store.ts";
import { FLOW_TTL_MS, newFlowToken, resendFlowCode } from "./flows.ts";
import { verifyAgainstNothing, verifyPassword } from "./password-hash.ts";
import { hashToken, startSession } from "./sessions.ts";
import type { User } from "./store.ts";
import { findUserByEmail } from "./store.ts";
import { normaliseEmail } from "./validate.ts";

export type LogInResult =
  | { kind: "session"; user: User; sessionToken: string }
  /** The password of a sign-up not verified yet: the client continues it with this token. */
  | { kind: "unverified"; signupToken: string; email: string };

/**
 * Log-in with e-mail and password. Wrong address and wrong password give the same answer in
 * about the same time (one password check either way). The password of a sign-up still waiting
 * for its code continues that sign-up on this client: a fresh code is sent (at most once a
 * minute) and the user is asked for it.
 */
export async function logIn(
  deps: AccountsDeps,
  emailInput: string,
  password: string,
  client: string,
): Promise<LogInResult> {
  const email = normaliseEmail(emailInput);
  const now = deps.now();
  const limit = loginFailures(deps.config.rateLimits.loginFailuresPerAccount);
  await attemptsOf(deps.db, limit, email, client, now).assertLeft();
  const found = await findUserByEmail(deps.db, email);
  if (found) {
    if (await verifyPassword(found.passwordHash, password)) {
      const { passwordHash: _, ...user } = found;
      return { kind: "session", user, sessionToken: await startSession(deps, user.id) };
    }
  } else {
    const signups = await recentFlows(deps.db, "signup", email, new Date(now.getTime() - FLOW_TTL_MS), 1);
    const pending = signups[0]?.decoy === false ? signups[0] : null;
    const chosen = pending?.signup ?? null;
    if (pending && chosen && (await verifyPassword(chosen.passwordHash, password))) {
      const deliver = (code: string) => ({
        to: email,
        mail: verificationCodeMail(chosen.language, chosen.name, code),
      });
      // First: when the address had codes enough this refuses, and the sign-up stays its client's.
      await resendFlowCode(deps, pending, client, deliver, { quiet: true });
      const token = newFlowToken();
      await rebindFlow(deps.db, pending.id, hashToken(token));
      return { kind: "unverified", signupToken: token, email };
    }
    if (!chosen) await verifyAgainstNothing(password);
  }
  await attemptsOf(deps.db, limit, email, client, now).recordFailure();
  throw new UserError("invalid_credentials");
}

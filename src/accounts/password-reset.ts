import { UserError } from "../core/errors.ts";
import { passwordResetCodeMail } from "../mail/messages.ts";
import { attemptsOf } from "./attempts.ts";
import type { AccountsDeps } from "./deps.ts";
import { deleteFlowsOf, type Flow } from "./flow-store.ts";
import {
  type CodeDelivery,
  checkFlowCode,
  codeLimit,
  flowOfToken,
  resendFlowCode,
  startFlow,
} from "./flows.ts";
import { hashPassword } from "./password-hash.ts";
import { deleteSessionsOfUser, findUserByEmail, setPasswordHash, type User } from "./store.ts";
import { revokeAllApiTokens } from "./token-store.ts";
import { checkNewPassword, normaliseEmail, throwIfAccountProblems } from "./validate.ts";

function resetCode(user: User | null): CodeDelivery {
  return (code) =>
    user ? { to: user.email, mail: passwordResetCodeMail(user.language, user.name, code) } : null;
}

/**
 * "Enter the e-mail you registered with": the answer never depends on the address. An address
 * without an account gets a decoy reset that nothing can complete; a code is e-mailed only to an
 * account, after the answer. Asking again from the same client sends a new code (at most once a
 * minute) for the same reset. Returns the reset's token for the client.
 */
export async function requestPasswordReset(
  deps: AccountsDeps,
  emailInput: string,
  token: string | undefined,
  client: string,
): Promise<string> {
  const email = normaliseEmail(emailInput);
  const found = await findUserByEmail(deps.db, email);
  const user = found ? withoutHash(found) : null;
  const ongoing = await flowOfToken(deps.db, "reset", token, email);
  if (ongoing && token) {
    await resendFlowCode(deps, ongoing, client, resetCode(user), { quiet: true });
    return token;
  }
  return startFlow(
    deps,
    { kind: "reset", email, userId: user?.id ?? null, signup: null, decoy: !user },
    client,
    resetCode(user),
  );
}

function withoutHash(found: User & { passwordHash: string }): User {
  const { passwordHash: _, ...user } = found;
  return user;
}

async function resetOf(
  deps: AccountsDeps,
  emailInput: string,
  token: string | undefined,
  client: string,
): Promise<Flow> {
  const email = normaliseEmail(emailInput);
  await attemptsOf(deps.db, codeLimit(deps), email, client, deps.now()).assertLeft();
  const flow = await flowOfToken(deps.db, "reset", token, email);
  if (!flow) throw new UserError("flow_missing");
  return flow;
}

/** The code step of the reset form: checked (and counted) before the new password is asked. */
export async function checkResetCode(
  deps: AccountsDeps,
  emailInput: string,
  code: string,
  token: string | undefined,
  client: string,
): Promise<void> {
  await checkFlowCode(deps, await resetOf(deps, emailInput, token, client), code, client);
}

/** Sets the new password, uses up the code, ends every session and revokes every API token. */
export async function confirmPasswordReset(
  deps: AccountsDeps,
  input: { email: string; code: string; password: string; token: string | undefined },
  client: string,
): Promise<void> {
  const problems: Record<string, string[]> = {};
  const password = checkNewPassword(input.password, problems);
  throwIfAccountProblems(problems);
  const flow = await resetOf(deps, input.email, input.token, client);
  await checkFlowCode(deps, flow, input.code, client);
  const userId = flow.userId;
  if (userId === null) throw new UserError("flow_missing");
  const hash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    await setPasswordHash(tx, userId, hash, deps.now());
    await deleteFlowsOf(tx, "reset", flow.email);
    await deleteSessionsOfUser(tx, userId, null);
    // Someone who could reset the password may have made tokens with the old one.
    await revokeAllApiTokens(tx, userId);
  });
}

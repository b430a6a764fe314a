import { randomBytes } from "node:crypto";
import { UserError } from "../core/errors.ts";
import type { MailMessage } from "../core/mailer.ts";
import type { Queryable } from "../db/database.ts";
import { attemptsOf, type ClientLimit, codeFailures, codeMails } from "./attempts.ts";
import {
  CODE_TTL_MS,
  codeMatches,
  type FlowKind,
  hashCode,
  looksLikeCode,
  MAX_CODE_ATTEMPTS,
  newCode,
  RESEND_INTERVAL_MS,
} from "./codes.ts";
import type { AccountsDeps } from "./deps.ts";
import {
  countFlowFailure,
  type Flow,
  findFlowByToken,
  insertFlow,
  type NewFlow,
  replaceFlowCode,
} from "./flow-store.ts";
import { hashToken } from "./sessions.ts";

/**
 * A sign-up or password reset belongs to the browser or API client that started it: it gets a
 * random token (a cookie for pages, a field of the answer for the API), and only that token
 * finds the flow again. Each flow has its own code, so a stranger's sign-up for the same
 * address never turns the owner's code into the stranger's account.
 */
export const FLOW_TTL_MS = 24 * 60 * 60 * 1000;

export function newFlowToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What to e-mail once the answer has gone; null sends nothing. */
export type CodeDelivery = (code: string) => { to: string; mail: MailMessage } | null;

/** Starts a flow and sends its code after the answer. Returns the token for the client. */
export async function startFlow(
  deps: AccountsDeps,
  flow: Omit<NewFlow, "tokenHash" | "codeHash" | "now" | "expiresAt">,
  client: string,
  deliver: CodeDelivery,
): Promise<string> {
  const token = newFlowToken();
  const code = newCode(deps.random);
  const now = deps.now();
  await insertFlow(deps.db, {
    ...flow,
    tokenHash: hashToken(token),
    codeHash: hashCode(deps.secret, flow.kind, flow.email, code),
    now,
    expiresAt: new Date(now.getTime() + CODE_TTL_MS),
  });
  sendCodeLater(deps, flow, client, deliver(code));
  return token;
}

/** The client's flow, or null when it has none (never started here, or over a day ago). */
export async function flowOfToken(
  db: Queryable,
  kind: FlowKind,
  token: string | undefined,
  email: string,
): Promise<Flow | null> {
  if (!token || token.length > 100) return null;
  const flow = await findFlowByToken(db, kind, hashToken(token));
  return flow && flow.email === email ? flow : null;
}

/**
 * "Send a new code": kills the old code and sends a new one, at most once a minute. `quiet`
 * skips instead of refusing when it is too soon (the reset form answers the same either way).
 */
export async function resendFlowCode(
  deps: AccountsDeps,
  flow: Flow,
  client: string,
  deliver: CodeDelivery,
  options: { quiet: boolean },
): Promise<void> {
  const now = deps.now();
  const wait = flow.codeSentAt.getTime() + RESEND_INTERVAL_MS - now.getTime();
  if (wait > 0) {
    if (options.quiet) return;
    throw new UserError("resend_too_soon", { count: Math.ceil(wait / 1000) });
  }
  const code = newCode(deps.random);
  await replaceFlowCode(
    deps.db,
    flow.id,
    hashCode(deps.secret, flow.kind, flow.email, code),
    now,
    new Date(now.getTime() + CODE_TTL_MS),
  );
  sendCodeLater(deps, flow, client, deliver(code));
}

function sendCodeLater(
  deps: AccountsDeps,
  flow: Pick<Flow, "email" | "decoy">,
  client: string,
  message: { to: string; mail: MailMessage } | null,
): void {
  deps.afterAnswer.run(async () => {
    // Counted for decoys too, so a flood of sign-ups costs the same whatever the address.
    const allowed = await attemptsOf(deps.db, codeMails, flow.email, client, deps.now()).allowed();
    if (allowed && message) await deps.mailer.send(message.to, message.mail);
  });
}

export function codeLimit(deps: AccountsDeps): ClientLimit {
  return codeFailures(deps.config.rateLimits.codeFailuresPerAccount);
}

/**
 * Checks a typed code against the flow's. A wrong code says how many tries are left; the fifth
 * kills the code; an expired code says so. A decoy answers exactly like a real flow, and never
 * matches. Every failure also counts against the client (codeFailures).
 */
export async function checkFlowCode(
  deps: AccountsDeps,
  flow: Flow,
  typed: string,
  client: string,
): Promise<void> {
  const now = deps.now();
  if (flow.failedAttempts >= MAX_CODE_ATTEMPTS) throw new UserError("code_exhausted");
  if (flow.codeExpiresAt.getTime() <= now.getTime()) throw new UserError("code_expired");
  const matches =
    looksLikeCode(typed) && codeMatches(deps.secret, flow.kind, flow.email, typed, flow.codeHash);
  if (matches && !flow.decoy) return;
  const failures = await countFlowFailure(deps.db, flow.id);
  await attemptsOf(deps.db, codeLimit(deps), flow.email, client, now).recordFailure();
  if (failures >= MAX_CODE_ATTEMPTS) throw new UserError("code_exhausted");
  throw new UserError("code_invalid", { count: MAX_CODE_ATTEMPTS - failures });
}

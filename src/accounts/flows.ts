import { randomBytes } from "node:crypto";
import { UserError } from "../core/errors.ts";
import type { MailMessage } from "../core/mailer.ts";
import type { Queryable } from "../db/database.ts";
import { attemptsOf, type ClientLimit, codeFailures } from "./attempts.ts";
import { takeCodeMail } from "./code-mails.ts";
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

/**
 * Starts a flow and sends its code after the answer. Returns the token for the client. Refused
 * with `too_many_codes`, before anything is made, when the address had codes enough (code-mails.ts):
 * decoys count too, so the refusal tells nothing about the address.
 */
export async function startFlow(
  deps: AccountsDeps,
  flow: Omit<NewFlow, "tokenHash" | "codeHash" | "now" | "expiresAt">,
  client: string,
  deliver: CodeDelivery,
): Promise<string> {
  const now = deps.now();
  await takeCodeMail(deps.db, flow.email, client, now);
  const token = newFlowToken();
  const code = newCode(deps.random);
  await insertFlow(deps.db, {
    ...flow,
    tokenHash: hashToken(token),
    codeHash: hashCode(deps.secret, flow.kind, flow.email, code),
    now,
    expiresAt: new Date(now.getTime() + CODE_TTL_MS),
  });
  sendCodeLater(deps, deliver(code));
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
 * Too many codes for the address (code-mails.ts) is refused either way, the old code kept.
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
  await takeCodeMail(deps.db, flow.email, client, now);
  const code = newCode(deps.random);
  await replaceFlowCode(
    deps.db,
    flow.id,
    hashCode(deps.secret, flow.kind, flow.email, code),
    now,
    new Date(now.getTime() + CODE_TTL_MS),
  );
  sendCodeLater(deps, deliver(code));
}

/** A decoy's delivery is null: it was counted like a real one, and nothing goes out. */
function sendCodeLater(deps: AccountsDeps, message: { to: string; mail: MailMessage } | null): void {
  if (message) deps.afterAnswer.run(() => deps.mailer.send(message.to, message.mail));
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

import type { Queryable } from "../db/database.ts";
import { UserError } from "../errors.ts";
import { addAttempt, readAttempts } from "./store.ts";

/**
 * Per-account limits (failed log-ins, wrong codes) in fixed windows kept in the
 * database, so every web process counts the same attempts.
 */
export type AttemptLimit = { prefix: string; max: number; windowMs: number };

export const loginFailures = (max: number): AttemptLimit => ({ prefix: "login", max, windowMs: 15 * 60_000 });
export const codeFailures = (max: number): AttemptLimit => ({ prefix: "code", max, windowMs: 60 * 60_000 });

function windowOf(limit: AttemptLimit, now: Date): { start: Date; end: Date } {
  const start = Math.floor(now.getTime() / limit.windowMs) * limit.windowMs;
  return { start: new Date(start), end: new Date(start + limit.windowMs) };
}

/** Throws `too_many_attempts` (with the minutes to wait) when the account used up its attempts. */
export async function assertAttemptsLeft(
  db: Queryable,
  limit: AttemptLimit,
  account: string,
  now: Date,
): Promise<void> {
  const { start, end } = windowOf(limit, now);
  const hits = await readAttempts(db, `${limit.prefix}:${account}`, start);
  if (hits >= limit.max) {
    throw new UserError("too_many_attempts", {
      minutes: Math.ceil((end.getTime() - now.getTime()) / 60_000),
    });
  }
}

export async function recordFailedAttempt(
  db: Queryable,
  limit: AttemptLimit,
  account: string,
  now: Date,
): Promise<void> {
  await addAttempt(db, `${limit.prefix}:${account}`, windowOf(limit, now).start);
}

/** Counts one use and says whether it is within the limit (for things that are skipped, not refused). */
export async function attemptAllowed(
  db: Queryable,
  limit: AttemptLimit,
  account: string,
  now: Date,
): Promise<boolean> {
  return (await addAttempt(db, `${limit.prefix}:${account}`, windowOf(limit, now).start)) <= limit.max;
}

import { UserError } from "../core/errors.ts";
import type { Queryable } from "../db/database.ts";
import { addAttempt, readAttempts } from "./store.ts";

/**
 * Limits on failures (wrong passwords, wrong codes) and on e-mails sent, per address and per
 * client (its IP address), in fixed windows kept in the database so every web process counts
 * the same attempts.
 *
 * A limit on an address alone lets anyone lock its owner out by failing on purpose (issue 8).
 * So failures are counted per address *and client*: the client that keeps failing is stopped,
 * the owner on another client is not. Only when the address as a whole has seen `overall`
 * failures in the window are the clients that failed on it at all stopped too: a distributed
 * guesser gets one try per client, a client that never failed still gets in.
 */
export type ClientLimit = { prefix: string; perClient: number; overall: number; windowMs: number };

export const loginFailures = (perClient: number): ClientLimit => ({
  prefix: "login",
  perClient,
  overall: perClient * 10,
  windowMs: 15 * 60_000,
});
export const codeFailures = (perClient: number): ClientLimit => ({
  prefix: "code",
  perClient,
  overall: perClient * 10,
  windowMs: 60 * 60_000,
});
/** "Someone tried to sign up with your address" notices to an account's owner. */
export const ownerNotices: ClientLimit = {
  prefix: "notice",
  perClient: 3,
  overall: 3,
  windowMs: 60 * 60_000,
};

/**
 * The counts of one subject (an address) and one client in the limit's current window: what is
 * left, a refusal when nothing is, a failure recorded, a use counted.
 */
export function attemptsOf(db: Queryable, limit: ClientLimit, subject: string, client: string, now: Date) {
  const windowMs = limit.windowMs;
  const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const overall = `${limit.prefix}:${subject}`;
  const mine = `${limit.prefix}:${subject}:${client}`;

  /** How many failures this client has left on this address; 0 means it must wait. */
  const left = async (): Promise<number> => {
    const failed = await readAttempts(db, mine, start);
    if (failed > 0 && (await readAttempts(db, overall, start)) >= limit.overall) return 0;
    return Math.max(0, limit.perClient - failed);
  };

  return {
    /** Throws `too_many_attempts` (with the minutes to wait) when this client used up its attempts. */
    async assertLeft(): Promise<void> {
      if ((await left()) > 0) return;
      const minutes = Math.ceil((start.getTime() + windowMs - now.getTime()) / 60_000);
      throw new UserError("too_many_attempts", { count: minutes });
    },

    async recordFailure(): Promise<void> {
      await addAttempt(db, mine, start);
      await addAttempt(db, overall, start);
    },

    /**
     * Counts one use (an e-mail about to be sent) and says whether it is within both limits; for
     * things that are skipped, not refused, so the answer stays the same either way.
     */
    async allowed(): Promise<boolean> {
      const used = await addAttempt(db, mine, start);
      const all = await addAttempt(db, overall, start);
      return used <= limit.perClient && all <= limit.overall;
    },
  };
}

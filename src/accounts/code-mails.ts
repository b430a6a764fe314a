import { UserError } from "../core/errors.ts";
import type { Queryable } from "../db/database.ts";
import { addAttempt, releaseAttempt } from "./store.ts";

/**
 * How many code e-mails (sign-up and reset) go to one address: enough for a person who mistypes,
 * not enough to flood them, and never a way to lock the owner out.
 *
 * A cap on the address alone let anyone use it up from a few IP addresses, after which the
 * owner's own request was answered "sent" and nothing came, an hour at a time (probe of
 * 2026-12-07, M2). So, as with log-in failures (attempts.ts), what stops is the client that asked
 * too much, not the address:
 * - each client gets `perClient` codes an hour for an address;
 * - all clients together get `overall` an hour; past that, a client that has had no code for the
 *   address this hour still gets one, but only one such e-mail goes out per 10 minutes. An
 *   attacker needs a new IP address for each, and adds at most 6 e-mails an hour to the inbox;
 *   the owner waits at most 10 minutes for the next one.
 * A request refused is told so (`too_many_codes`, with the minutes to wait): nothing is quietly
 * skipped. The counts are per address in its one form, and a decoy (an address without an
 * account, or a sign-up of one with an account) counts exactly like a real flow, so the answer
 * never tells whether an account exists.
 */
export const codeMails = { perClient: 5, overall: 20, windowMs: 60 * 60_000, spareMs: 10 * 60_000 };

const windowStart = (now: Date, ms: number) => new Date(Math.floor(now.getTime() / ms) * ms);

function tooMany(until: Date, now: Date): UserError {
  return new UserError("too_many_codes", { count: Math.ceil((until.getTime() - now.getTime()) / 60_000) });
}

/**
 * Counts one code e-mail to `email` for `client`, before the code is made, or throws
 * `too_many_codes`. Every count is one atomic statement and a refused use is taken back, so
 * requests sent at once cannot slip past a limit together.
 */
export async function takeCodeMail(db: Queryable, email: string, client: string, now: Date): Promise<void> {
  const hour = windowStart(now, codeMails.windowMs);
  const hourEnd = new Date(hour.getTime() + codeMails.windowMs);
  const mine = `mail:${email}:${client}`;
  const sent = await addAttempt(db, mine, hour);
  const refuse = async (until: Date) => {
    await releaseAttempt(db, mine, hour);
    return tooMany(until, now);
  };
  if (sent > codeMails.perClient) throw await refuse(hourEnd);
  if ((await addAttempt(db, `mail:${email}`, hour)) <= codeMails.overall) return;
  // The address's hour is used up. A client that already had a code this hour has it (or asked
  // again and again): it waits for the next hour, so only new clients draw on the spare.
  if (sent > 1) throw await refuse(hourEnd);
  const spare = windowStart(now, codeMails.spareMs);
  if ((await addAttempt(db, `mail-spare:${email}`, spare)) <= 1) return;
  throw await refuse(new Date(spare.getTime() + codeMails.spareMs));
}

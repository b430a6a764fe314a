import type { Logger } from "../core/deps.ts";
import type { Queryable } from "../db/database.ts";
import { canonicalEmail } from "./email-address.ts";
import { respellUserEmail, usersWithUncommonAddresses } from "./store.ts";

export type Respelling = {
  respelled: number[];
  /** Left as they were: another account has the address's one form, or the address is refused now. */
  kept: { id: number; reason: "taken" | "refused" }[];
};

/**
 * Before addresses had one form (email-address.ts) they were only trimmed and lower-cased, and
 * the check let anything but whitespace and "@" through: `josé@café.fr`, `kim@ｅxample.net`, an
 * address with a zero-width space could all be stored. Typed again now, such an address is
 * looked up in its one form and would miss its account. So, when a process starts, each such
 * account is given its address's one form, unless
 * - another account has that form already (a look-alike made before, as the probe of 2026-12-07
 *   made them): both are kept as they are, and the log names them for the operator;
 * - the address is refused now (an invisible or control character): kept as it is, and logged.
 * Nothing is deleted or merged. Sign-ups and resets in progress keep their spelling: they last a
 * day, and their codes are bound to the address they were sent for.
 */
export async function respellStoredAddresses(deps: {
  db: Queryable;
  log: Logger;
  now: () => Date;
}): Promise<Respelling> {
  const result: Respelling = { respelled: [], kept: [] };
  for (const { id, email } of await usersWithUncommonAddresses(deps.db)) {
    const address = canonicalEmail(email);
    if ("problem" in address) result.kept.push({ id, reason: "refused" });
    else if (address.email === email) continue;
    // Two old spellings of one address, respelled by two processes at once: the second is taken.
    else if (await respellUserEmail(deps.db, id, address.email, deps.now()).catch(() => false))
      result.respelled.push(id);
    else result.kept.push({ id, reason: "taken" });
  }
  if (result.respelled.length > 0)
    deps.log.info({ accounts: result.respelled }, "Account addresses put in their one form");
  for (const { id, reason } of result.kept)
    deps.log.warn(
      { account: id, reason },
      reason === "taken"
        ? "An account's address is a look-alike of another account's: both kept as they are"
        : "An account's address holds characters refused now: kept as it is, its owner cannot log in with it",
    );
  return result;
}

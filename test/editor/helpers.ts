import { createApiToken } from "../../src/accounts/api-tokens.ts";
import { hashPassword } from "../../src/accounts/password-hash.ts";
import { findUserById, type Role } from "../../src/accounts/store.ts";
import { createAccount } from "../helpers/accounts.ts";
import { PageClient, strongPassword, type TestApp } from "../helpers/app.ts";

/** A verified account with `role`, logged in through the log-in page like a person would. */
export async function loggedIn(t: TestApp, email: string, role: Role): Promise<PageClient> {
  const now = t.clock.now();
  await createAccount(t.db, now, { email, role, passwordHash: await hashPassword(strongPassword) });
  const browser = new PageClient(t.app);
  await browser.get("/en/login");
  const res = await browser.submit("/en/login", { email, password: strongPassword });
  if (res.statusCode !== 303) throw new Error(`Log-in of ${email} failed: ${res.statusCode}`);
  return browser;
}

/** The id at the end of a redirect such as `/en/editor/events/12?saved=1`. */
export function idFrom(location: unknown, kind: "events" | "items"): number {
  const match = new RegExp(`/editor/${kind}/(\\d+)`).exec(String(location));
  if (!match) throw new Error(`No ${kind} id in ${String(location)}`);
  return Number(match[1]);
}

/** A bilingual event form, with overrides. */
export function eventForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    slug: "",
    starts_at: "2026-11-23T09:30",
    ends_at: "2026-11-23T18:00",
    place_en: "Brussels",
    place_fr: "Bruxelles",
    title_en: "Summit of foreign ministers",
    title_fr: "Sommet des ministres des affaires étrangères",
    summary_en: "Ministers meet on security.",
    summary_fr: "Les ministres se réunissent sur la sécurité.",
    body_en: "The ministers discuss.",
    body_fr: "Les ministres discutent.",
    ...overrides,
  };
}

/** A verified account with `role` and a personal API token of `scope` (as made on the account page). */
export async function apiToken(
  t: TestApp,
  email: string,
  role: Role,
  scope: "read" | "editor",
): Promise<string> {
  const id = await createAccount(t.db, t.clock.now(), { email, role });
  const user = await findUserById(t.db, id);
  if (!user) throw new Error(`No account ${email}`);
  const { passwordHash: _, ...account } = user;
  return createApiToken(t.deps, account, "newsroom system", scope);
}

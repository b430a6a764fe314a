import { unsubscribeUrl } from "../accounts/profile.ts";
import { emailsInOrder, subscriberIds, type User } from "../accounts/store.ts";
import { publishedEventIds } from "../catalogue/event-store.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import type { Queryable } from "../db/database.ts";
import { languages, t } from "../web/i18n.ts";
import { insertDeliveries, problemRows, requeueDeliveries } from "./deliveries-store.ts";
import { newsletterMail } from "./message.ts";
import { findIssue, markSending } from "./store.ts";
import type { Issue } from "./types.ts";

type Deps = Pick<FeatureDeps, "db" | "jobs" | "mailer" | "now" | "config" | "secret">;

/**
 * Freezes the recipient list (every subscriber with a verified address, now) in the same
 * transaction that ends the draft, then queues the job. A second click finds no draft and
 * adds nobody. Returns the number of recipients, or null when the issue was not a draft.
 */
export async function startSending(deps: Deps, issueId: number): Promise<number | null> {
  const now = deps.now();
  const count = await deps.db.transaction(async (tx) => {
    const issue = await findIssue(tx, issueId);
    // A message of a subject and an unsubscribe line alone is a mistake, not a newsletter.
    if (issue && issue.events.length === 0 && languages.every((l) => issue.intro[l].trim() === ""))
      throw new UserError("invalid_input", {}, { intro_en: ["newsletter.error.nothing_to_send"] });
    const gone = await unpublishedEventsOf(tx, issueId, now);
    if (gone.length > 0) {
      throw new UserError(
        "invalid_input",
        {},
        { events: gone.map(() => "newsletter.error.event_unpublished") },
      );
    }
    if (!(await markSending(tx, issueId, now))) return null;
    return insertDeliveries(tx, issueId, await subscriberIds(tx), now);
  });
  if (count !== null) await deps.jobs.enqueue("newsletter.send", issueId);
  return count;
}

/** Slugs of the issue's events that are no longer published (or were deleted): their links would lead nowhere. */
async function unpublishedEventsOf(db: Queryable, issueId: number, now: Date): Promise<string[]> {
  const events = (await findIssue(db, issueId))?.events ?? [];
  const ids = events.flatMap((e) => (e.eventId === null ? [] : [e.eventId]));
  const published = await publishedEventIds(db, now, ids);
  return events.filter((e) => e.eventId === null || !published.has(e.eventId)).map((e) => e.slug);
}

/** Both language versions, exactly as subscribers get them, to the editor alone. */
export async function sendTest(deps: Deps, issue: Issue, editor: User): Promise<void> {
  const links = { publicUrl: deps.config.publicUrl, unsubscribeUrl: unsubscribeUrl(deps, editor) };
  for (const lang of languages) {
    const message = newsletterMail(issue, lang, links);
    await deps.mailer.send(editor.email, {
      ...message,
      subject: `${t(lang, "newsletter.test.subject_prefix")} ${message.subject}`,
    });
  }
}

/**
 * The editor's decision for messages in doubt (a worker stopped while handing them over)
 * or refused too often: send them again. Returns how many wait again.
 */
export async function retryDeliveries(deps: Deps, issueId: number, which: "unknown" | "failed") {
  const count = await deps.db.transaction((tx) => requeueDeliveries(tx, issueId, which, deps.now()));
  if (count > 0) await deps.jobs.enqueue("newsletter.send", issueId);
  return count;
}

/** Starts the job again for an issue still sending (say its job gave up while the mail server was down). */
export async function resumeSending(deps: Deps, issue: Issue): Promise<void> {
  if (issue.status === "sending") await deps.jobs.enqueue("newsletter.send", issue.id);
}

export type ProblemDelivery = { email: string; status: "unknown" | "failed"; error: string | null };

/**
 * Who the editor needs to know about: refused messages, then those of unknown fate, each
 * group by address, at most `limit`.
 */
export async function problemDeliveries(
  db: Queryable,
  issueId: number,
  now: Date,
  limit = 200,
): Promise<ProblemDelivery[]> {
  const rows = await problemRows(db, issueId, now);
  const list: ProblemDelivery[] = [];
  for (const status of ["failed", "unknown"] as const) {
    const errors = new Map(rows.filter((r) => r.status === status).map((r) => [r.userId, r.error]));
    if (errors.size === 0 || list.length >= limit) continue;
    // The database orders the addresses, as it always has (its collation, not JavaScript's).
    for (const { id, email } of await emailsInOrder(db, [...errors.keys()], limit - list.length)) {
      list.push({ email, status, error: errors.get(id) ?? null });
    }
  }
  return list;
}

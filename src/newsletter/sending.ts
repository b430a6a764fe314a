import { unsubscribeUrl } from "../accounts/profile.ts";
import type { User } from "../accounts/store.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { languages, t } from "../web/i18n.ts";
import { insertDeliveries, requeueDeliveries } from "./deliveries-store.ts";
import { newsletterMail } from "./message.ts";
import { markSending, unpublishedEventsOf } from "./store.ts";
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
    const gone = await unpublishedEventsOf(tx, issueId, now);
    if (gone.length > 0) {
      throw new UserError(
        "invalid_input",
        {},
        { events: gone.map(() => "newsletter.error.event_unpublished") },
      );
    }
    if (!(await markSending(tx, issueId, now))) return null;
    return insertDeliveries(tx, issueId, now);
  });
  if (count !== null) await deps.jobs.enqueue("newsletter.send", issueId);
  return count;
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

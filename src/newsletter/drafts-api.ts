import { createHash } from "node:crypto";
import type { User } from "../accounts/store.ts";
import { findEventBySlug } from "../catalogue/event-store.ts";
import type { Localized } from "../catalogue/types.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import type { Queryable } from "../db/database.ts";
import { withFieldNames } from "../web/api-fields.ts";
import {
  type ComposeForm,
  type ComposeRow,
  checkedContent,
  createDraft,
  defaultContent,
  oneLine,
} from "./compose.ts";
import { deliveryCounts } from "./deliveries-store.ts";
import type { IssueAnswer, IssueInput } from "./schema.ts";
import { findIssue, lockIssue, updateDraft } from "./store.ts";
import type { Issue, IssueContent } from "./types.ts";

/**
 * Drafting an issue through the JSON API (issue 13): the API's fields laid over an issue's content
 * and checked by the workspace's own rules (compose.ts), problems named as the API names fields.
 */

type Deps = Pick<FeatureDeps, "db" | "now">;

/** A new draft: the defaults of a new issue, with what the caller gave instead. */
export async function createDraftFromApi(deps: Deps, editor: User, input: IssueInput): Promise<number> {
  const content = await withApiFields(async () =>
    checkedApiContent(await formOver(deps.db, await defaultContent(deps), input, deps.now())),
  );
  return createDraft(deps, editor, content);
}

/**
 * Changes the fields named in a draft. `check` sees the issue as it stands under the row's lock
 * (the If-Match test), so nothing changes between the check and the write.
 */
export async function patchDraft(
  deps: Deps,
  id: number,
  input: IssueInput,
  check: (db: Queryable, issue: Issue) => Promise<void>,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await lockIssue(tx, id))) throw new UserError("issue_not_found");
    const issue = (await findIssue(tx, id))!;
    await check(tx, issue);
    if (issue.status !== "draft") throw new UserError("issue_not_draft");
    const content = await withApiFields(async () =>
      checkedApiContent(await formOver(tx, issue, input, deps.now())),
    );
    await updateDraft(tx, id, content, deps.now());
  });
}

type Drawn = { form: ComposeForm; slugProblems: Record<string, string[]> };

/**
 * The workspace's checks, with the events the caller named that are not there; every problem at
 * once. While an event is missing its rows no longer line up with the caller's list, so only the
 * subject and intro are checked with it.
 */
function checkedApiContent({ form, slugProblems }: Drawn): IssueContent {
  if (Object.keys(slugProblems).length === 0) return checkedContent(form);
  let fields = slugProblems;
  try {
    checkedContent({ ...form, rows: [] });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    fields = { ...error.fields, ...slugProblems };
  }
  throw new UserError("invalid_input", {}, fields);
}

/** The compose form the API's fields make over `base` (every listed event ticked), and the unknown events. */
async function formOver(db: Queryable, base: IssueContent, input: IssueInput, now: Date): Promise<Drawn> {
  const over = (
    text: Localized,
    given: { en?: string; fr?: string } | undefined,
    clean: (s: string) => string,
  ) => ({
    en: given?.en === undefined ? text.en : clean(given.en),
    fr: given?.fr === undefined ? text.fr : clean(given.fr),
  });
  const asIs = (s: string) => s;
  const rows: ComposeRow[] = [];
  const problems: Record<string, string[]> = {};
  if (input.events === undefined) {
    for (const e of base.events)
      if (e.eventId !== null) rows.push({ ...e, eventId: e.eventId, include: true });
  } else {
    const seen = new Set<string>();
    for (const [i, given] of input.events.entries()) {
      const kept = base.events.find((e) => e.slug === given.slug && e.eventId !== null);
      const row = kept ? { ...kept, eventId: kept.eventId! } : await publishedEvent(db, given.slug, now);
      if (!row || seen.has(given.slug)) {
        problems[`e${i}_slug`] = [row ? "newsletter.error.event_twice" : "newsletter.error.event_unknown"];
        continue;
      }
      seen.add(given.slug);
      rows.push({
        ...row,
        include: true,
        title: over(row.title, given.title, asIs),
        summary: over(row.summary, given.summary, asIs),
      });
    }
  }
  const form = {
    // A subject is one line, as the form keeps it: a line break would be one in the mail header.
    subject: over(base.subject, input.subject, oneLine),
    intro: over(base.intro, input.intro, (s) => s.trim()),
    rows,
  };
  return { form, slugProblems: problems };
}

/** The catalogue's published event of a slug, as an issue first shows it; null for a draft or none. */
async function publishedEvent(db: Queryable, slug: string, now: Date): Promise<ComposeRow | null> {
  const event = await findEventBySlug(db, slug);
  if (!event?.publishedAt || event.publishedAt > now) return null;
  const { id, startsAt, place, title, summary } = event;
  return { eventId: id, slug, startsAt, place, title, summary, include: true };
}

/** The workspace names problems as its form's fields (`e2_title_fr`); the API as its JSON (`events/2/title/fr`). */
export function apiFieldName(formName: string): string {
  const event = /^e(\d+)_(title|summary|slug)(?:_(en|fr))?$/.exec(formName);
  if (event) return ["events", event[1], event[2], event[3]].filter(Boolean).join("/");
  const bilingual = /^(subject|intro)_(en|fr)$/.exec(formName);
  return bilingual ? `${bilingual[1]}/${bilingual[2]}` : formName;
}

/** Runs a service call; a field problem it reports is renamed for the API. */
export function withApiFields<T>(work: () => Promise<T>): Promise<T> {
  return withFieldNames(apiFieldName, work);
}

/** The issue as the API shows it, with where its recipients stand. */
export async function issueAnswer(db: Queryable, issue: Issue, now: Date): Promise<IssueAnswer> {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: issue.id,
    status: issue.status,
    subject: issue.subject,
    intro: issue.intro,
    events: issue.events.map((e) => ({
      slug: e.slug,
      startsAt: e.startsAt.toISOString(),
      place: e.place,
      title: e.title,
      summary: e.summary,
    })),
    createdAt: issue.createdAt.toISOString(),
    updatedAt: issue.updatedAt.toISOString(),
    sendStartedAt: iso(issue.sendStartedAt),
    sentAt: iso(issue.sentAt),
    recipients: await deliveryCounts(db, issue.id, now),
  };
}

/**
 * A strong ETag from everything the answer says: issues carry no version number, and two changes
 * within one clock tick would share an `updatedAt`, so the content itself is the validator.
 */
export function issueTag(answer: IssueAnswer): string {
  const digest = createHash("sha256").update(JSON.stringify(answer)).digest("base64url").slice(0, 22);
  return `"issue-${answer.id}-${digest}"`;
}

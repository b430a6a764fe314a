import type { Queryable } from "../db/database.ts";
import type { Issue, IssueContent, IssueEvent, IssueStatus } from "./types.ts";

/** The SQL of issues and their events; nothing else. */

type IssueRow = {
  id: number;
  status: IssueStatus;
  subject_en: string;
  subject_fr: string;
  intro_en: string;
  intro_fr: string;
  created_at: Date;
  updated_at: Date;
  send_started_at: Date | null;
  sent_at: Date | null;
};

type IssueEventRow = {
  event_id: number | null;
  slug: string;
  starts_at: Date;
  place_en: string;
  place_fr: string;
  title_en: string;
  title_fr: string;
  summary_en: string;
  summary_fr: string;
};

function toIssueEvent(row: IssueEventRow): IssueEvent {
  return {
    eventId: row.event_id,
    slug: row.slug,
    startsAt: row.starts_at,
    place: { en: row.place_en, fr: row.place_fr },
    title: { en: row.title_en, fr: row.title_fr },
    summary: { en: row.summary_en, fr: row.summary_fr },
  };
}

export async function insertIssue(
  db: Queryable,
  content: IssueContent,
  createdBy: number,
  now: Date,
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO newsletter_issues (subject_en, subject_fr, intro_en, intro_fr, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
    [content.subject.en, content.subject.fr, content.intro.en, content.intro.fr, createdBy, now],
  );
  const id = rows[0]!.id;
  await insertEvents(db, id, content.events);
  return id;
}

/** Replaces the content of a draft; false when the issue is no longer a draft. */
export async function updateDraft(
  db: Queryable,
  id: number,
  content: IssueContent,
  now: Date,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE newsletter_issues SET subject_en = $2, subject_fr = $3, intro_en = $4, intro_fr = $5, updated_at = $6
     WHERE id = $1 AND status = 'draft' RETURNING id`,
    [id, content.subject.en, content.subject.fr, content.intro.en, content.intro.fr, now],
  );
  if (rows.length === 0) return false;
  await db.query("DELETE FROM newsletter_issue_events WHERE issue_id = $1", [id]);
  await insertEvents(db, id, content.events);
  return true;
}

async function insertEvents(db: Queryable, issueId: number, events: IssueEvent[]): Promise<void> {
  for (const [position, e] of events.entries()) {
    await db.query(
      `INSERT INTO newsletter_issue_events (issue_id, position, event_id, slug, starts_at,
         place_en, place_fr, title_en, title_fr, summary_en, summary_fr)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        issueId,
        position,
        e.eventId,
        e.slug,
        e.startsAt,
        e.place.en,
        e.place.fr,
        e.title.en,
        e.title.fr,
        e.summary.en,
        e.summary.fr,
      ],
    );
  }
}

export async function findIssue(db: Queryable, id: number): Promise<Issue | null> {
  const rows = await db.query<IssueRow>("SELECT * FROM newsletter_issues WHERE id = $1", [id]);
  const row = rows[0];
  if (!row) return null;
  const events = await db.query<IssueEventRow>(
    "SELECT * FROM newsletter_issue_events WHERE issue_id = $1 ORDER BY position",
    [id],
  );
  return {
    id: row.id,
    status: row.status,
    subject: { en: row.subject_en, fr: row.subject_fr },
    intro: { en: row.intro_en, fr: row.intro_fr },
    events: events.map(toIssueEvent),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sendStartedAt: row.send_started_at,
    sentAt: row.sent_at,
  };
}

/** Moves a draft to sending; false when it was not a draft (a second click, another editor). */
export async function markSending(db: Queryable, id: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE newsletter_issues SET status = 'sending', send_started_at = $2, updated_at = $2
     WHERE id = $1 AND status = 'draft' RETURNING id`,
    [id, now],
  );
  return rows.length > 0;
}

export async function deleteDraft(db: Queryable, id: number): Promise<boolean> {
  const rows = await db.query(
    "DELETE FROM newsletter_issues WHERE id = $1 AND status = 'draft' RETURNING id",
    [id],
  );
  return rows.length > 0;
}

/** Holds the issue's row until the transaction ends: a change checked against what was read stays true. */
export async function lockIssue(db: Queryable, id: number): Promise<boolean> {
  const rows = await db.query("SELECT id FROM newsletter_issues WHERE id = $1 FOR UPDATE", [id]);
  return rows.length > 0;
}

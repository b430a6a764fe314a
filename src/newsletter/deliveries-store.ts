import type { Queryable } from "../db/database.ts";
import type { DeliveryCounts, IssueStatus, IssueSummary } from "./types.ts";

/** The SQL of the recipient list (one row per issue and subscriber); nothing else. */

/** The recipient list: these subscribers, once each (the key forbids a second row). */
export async function insertDeliveries(
  db: Queryable,
  issueId: number,
  userIds: number[],
  now: Date,
): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH added AS (
       INSERT INTO newsletter_deliveries (issue_id, user_id, updated_at)
       SELECT $1, unnest($2::int[]), $3
       ON CONFLICT DO NOTHING RETURNING 1)
     SELECT count(*)::integer AS n FROM added`,
    [issueId, userIds, now],
  );
  return rows[0]!.n;
}

/**
 * Takes up to `limit` rows to send under `token`: waiting ones, and claims whose worker
 * died before handing them to SMTP. SKIP LOCKED lets concurrent workers take disjoint rows.
 */
export async function claimBatch(
  db: Queryable,
  issueId: number,
  token: string,
  limit: number,
  now: Date,
  claimedUntil: Date,
): Promise<number[]> {
  const rows = await db.query<{ user_id: number }>(
    `UPDATE newsletter_deliveries SET status = 'claimed', claim_token = $3, claimed_until = $5, updated_at = $4
     WHERE (issue_id, user_id) IN (
       SELECT issue_id, user_id FROM newsletter_deliveries
       WHERE issue_id = $1 AND (status = 'pending' OR (status = 'claimed' AND claimed_until < $4))
       ORDER BY attempts, user_id LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING user_id`,
    [issueId, limit, token, now, claimedUntil],
  );
  return rows.map((r) => r.user_id).sort((a, b) => a - b);
}

/**
 * The last step before SMTP: claimed → sending, only if this worker still holds the claim.
 * False: another worker took the row over, do not send.
 */
export async function startDelivery(
  db: Queryable,
  issueId: number,
  userId: number,
  token: string,
  now: Date,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE newsletter_deliveries SET status = 'sending', attempts = attempts + 1, updated_at = $4
     WHERE issue_id = $1 AND user_id = $2 AND status = 'claimed' AND claim_token = $3
     RETURNING user_id`,
    [issueId, userId, token, now],
  );
  return rows.length > 0;
}

/** A claimed row whose user left the list (or lost verification) in the meantime. */
export async function skipDelivery(db: Queryable, issueId: number, userId: number, token: string, now: Date) {
  await db.query(
    `UPDATE newsletter_deliveries SET status = 'skipped', claim_token = NULL, updated_at = $4
     WHERE issue_id = $1 AND user_id = $2 AND status = 'claimed' AND claim_token = $3`,
    [issueId, userId, token, now],
  );
}

export async function markSent(db: Queryable, issueId: number, userId: number, now: Date): Promise<void> {
  await db.query(
    `UPDATE newsletter_deliveries SET status = 'sent', sent_at = $3, claim_token = NULL, last_error = NULL,
       updated_at = $3
     WHERE issue_id = $1 AND user_id = $2 AND status = 'sending'`,
    [issueId, userId, now],
  );
}

/** The server refused the message: it was not sent; retried until `maxAttempts`, then failed. */
export async function markRefused(
  db: Queryable,
  issueId: number,
  userId: number,
  error: string,
  maxAttempts: number,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE newsletter_deliveries
     SET status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'pending' END,
       claim_token = NULL, claimed_until = NULL, last_error = $3, updated_at = $5
     WHERE issue_id = $1 AND user_id = $2 AND status = 'sending'`,
    [issueId, userId, error.slice(0, 500), maxAttempts, now],
  );
}

/** The message never reached a server (no connection): it waits again, and the try does not count. */
export async function releaseDelivery(
  db: Queryable,
  issueId: number,
  userId: number,
  error: string,
  now: Date,
) {
  await db.query(
    `UPDATE newsletter_deliveries
     SET status = 'pending', attempts = attempts - 1, claim_token = NULL, claimed_until = NULL, last_error = $3,
       updated_at = $4
     WHERE issue_id = $1 AND user_id = $2 AND status = 'sending'`,
    [issueId, userId, error.slice(0, 500), now],
  );
}

/** Nobody knows whether it went: it stays 'sending', with the reason, for the editor to decide. */
export async function noteUnknown(db: Queryable, issueId: number, userId: number, error: string, now: Date) {
  await db.query(
    `UPDATE newsletter_deliveries SET claimed_until = $4, last_error = $3, updated_at = $4
     WHERE issue_id = $1 AND user_id = $2 AND status = 'sending'`,
    [issueId, userId, error.slice(0, 500), now],
  );
}

/** When the last claim on rows still waiting to be sent lapses; null when nobody holds any. */
export async function claimsHeldUntil(db: Queryable, issueId: number): Promise<Date | null> {
  const rows = await db.query<{ until: Date | null }>(
    "SELECT max(claimed_until) AS until FROM newsletter_deliveries WHERE issue_id = $1 AND status = 'claimed'",
    [issueId],
  );
  return rows[0]?.until ? new Date(rows[0].until) : null;
}

/** A worker that stops hands back what it claimed but never started. */
export async function releaseClaims(db: Queryable, issueId: number, token: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE newsletter_deliveries SET status = 'pending', claim_token = NULL, claimed_until = NULL, updated_at = $3
     WHERE issue_id = $1 AND status = 'claimed' AND claim_token = $2`,
    [issueId, token, now],
  );
}

/** Sending → sent once no row waits; rows of the editor's "unknown" list do not hold it back. */
export async function finishIfDone(db: Queryable, issueId: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE newsletter_issues SET status = 'sent', sent_at = $2, updated_at = $2
     WHERE id = $1 AND status = 'sending' AND NOT EXISTS (
       SELECT 1 FROM newsletter_deliveries WHERE issue_id = $1 AND status IN ('pending', 'claimed'))
     RETURNING id`,
    [issueId, now],
  );
  return rows.length > 0;
}

/** The editor's "retry these": unknown (stale 'sending') or failed rows wait again; the issue is sending again. */
export async function requeueDeliveries(
  db: Queryable,
  issueId: number,
  which: "unknown" | "failed",
  now: Date,
): Promise<number> {
  const condition = which === "unknown" ? "status = 'sending' AND claimed_until <= $2" : "status = 'failed'";
  const rows = await db.query(
    `UPDATE newsletter_deliveries SET status = 'pending', attempts = 0, claim_token = NULL, claimed_until = NULL,
       updated_at = $2
     WHERE issue_id = $1 AND ${condition} RETURNING user_id`,
    [issueId, now],
  );
  if (rows.length > 0) {
    await db.query(
      `UPDATE newsletter_issues SET status = 'sending', sent_at = NULL, updated_at = $2
       WHERE id = $1 AND status = 'sent'`,
      [issueId, now],
    );
  }
  return rows.length;
}

const countColumns = `count(d.user_id)::integer AS total,
  count(*) FILTER (WHERE d.status IN ('pending', 'claimed'))::integer AS waiting,
  count(*) FILTER (WHERE d.status = 'sending' AND d.claimed_until > $1)::integer AS in_progress,
  count(*) FILTER (WHERE d.status = 'sending' AND d.claimed_until <= $1)::integer AS unknown,
  count(*) FILTER (WHERE d.status = 'sent')::integer AS sent,
  count(*) FILTER (WHERE d.status = 'failed')::integer AS failed,
  count(*) FILTER (WHERE d.status = 'skipped')::integer AS skipped`;

type CountRow = {
  total: number;
  waiting: number;
  in_progress: number;
  unknown: number;
  sent: number;
  failed: number;
  skipped: number;
};

function toCounts(row: CountRow): DeliveryCounts {
  const { in_progress, ...rest } = row;
  return { ...rest, inProgress: in_progress };
}

export async function listIssues(db: Queryable, now: Date): Promise<IssueSummary[]> {
  const rows = await db.query<
    CountRow & {
      id: number;
      status: IssueStatus;
      subject_en: string;
      subject_fr: string;
      updated_at: Date;
      sent_at: Date | null;
    }
  >(
    `SELECT i.id, i.status, i.subject_en, i.subject_fr, i.updated_at, i.sent_at, ${countColumns}
     FROM newsletter_issues i LEFT JOIN newsletter_deliveries d ON d.issue_id = i.id
     GROUP BY i.id ORDER BY i.created_at DESC, i.id DESC`,
    [now],
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    subject: { en: r.subject_en, fr: r.subject_fr },
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
    counts: toCounts(r),
  }));
}

export async function deliveryCounts(db: Queryable, issueId: number, now: Date): Promise<DeliveryCounts> {
  const rows = await db.query<CountRow>(
    `SELECT ${countColumns} FROM newsletter_deliveries d WHERE d.issue_id = $2`,
    [now, issueId],
  );
  return toCounts(rows[0]!);
}

/** Rows the editor needs to know about: messages of unknown fate, and refused ones. */
export async function problemRows(
  db: Queryable,
  issueId: number,
  now: Date,
): Promise<{ userId: number; status: "unknown" | "failed"; error: string | null }[]> {
  const rows = await db.query<{ user_id: number; status: string; last_error: string | null }>(
    `SELECT d.user_id, d.status, d.last_error FROM newsletter_deliveries d
     WHERE d.issue_id = $1 AND (d.status = 'failed' OR (d.status = 'sending' AND d.claimed_until <= $2))`,
    [issueId, now],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    status: r.status === "failed" ? "failed" : "unknown",
    error: r.last_error,
  }));
}

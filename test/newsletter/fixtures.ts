import { startSession } from "../../src/accounts/sessions.ts";
import type { Database } from "../../src/db/database.ts";
import { PageClient, type TestApp } from "../helpers/app.ts";

/** Accounts and events written straight to the database: the newsletter only reads them. */

type Account = {
  email: string;
  language?: "en" | "fr";
  role?: "media" | "editor";
  verified?: boolean;
  subscribed?: boolean;
};

export async function addAccount(db: Database, a: Account, now: Date): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO users (email, password_hash, name, organisation, country, language, role, terms_accepted_at,
       email_verified_at, newsletter_subscribed_at, created_at, updated_at)
     VALUES ($1, 'not-a-hash', 'Test Person', 'Test Outlet', 'BE', $2, $3, $4, $5, $6, $4, $4) RETURNING id`,
    [
      a.email,
      a.language ?? "en",
      a.role ?? "media",
      now,
      a.verified === false ? null : now,
      a.subscribed ? now : null,
    ],
  );
  return rows[0]!.id;
}

/**
 * `count` subscribers sub-0@… to sub-(count-1)@…; every third reads French. Returns their ids
 * in order.
 */
export async function addSubscribers(
  db: Database,
  count: number,
  now: Date,
  prefix = "sub",
): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO users (email, password_hash, name, organisation, country, language, terms_accepted_at,
       email_verified_at, newsletter_subscribed_at, created_at, updated_at)
     SELECT $2 || '-' || i || '@x.example', 'not-a-hash', 'Subscriber ' || i, 'Outlet', 'BE',
       CASE WHEN i % 3 = 0 THEN 'fr' ELSE 'en' END, $3, $3, $3, $3, $3
     FROM generate_series(0, $1 - 1) AS i ORDER BY i RETURNING id`,
    [count, prefix, now],
  );
  return rows.map((r) => r.id);
}

export const subscriberEmail = (i: number, prefix = "sub") => `${prefix}-${i}@x.example`;
export const subscriberLanguage = (i: number) => (i % 3 === 0 ? "fr" : "en");

type EventInput = {
  slug: string;
  startsAt: Date;
  publishedAt: Date | null;
  titleFr?: string;
  summaryEn?: string;
};

export async function addEvent(db: Database, e: EventInput): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO events (slug, starts_at, place_en, place_fr, title_en, title_fr, summary_en, summary_fr,
       published_at, created_at, updated_at)
     VALUES ($1, $2, 'Brussels', 'Bruxelles', $3, $4, $5, $6, $7, $2, $2) RETURNING id`,
    [
      e.slug,
      e.startsAt,
      `Event ${e.slug}`,
      e.titleFr ?? `Événement ${e.slug}`,
      e.summaryEn ?? `What happened at ${e.slug}.`,
      `Ce qui s’est passé à ${e.slug}.`,
      e.publishedAt,
    ],
  );
  return rows[0]!.id;
}

/** A browser logged in as `userId` (the session is made directly; log-in has its own tests). */
export async function loggedIn(t: TestApp, userId: number): Promise<PageClient> {
  const client = new PageClient(t.app);
  client.cookies.set("pressroom_session", await startSession(t.deps, userId));
  return client;
}

export async function issueStatus(db: Database, issueId: number): Promise<string> {
  const rows = await db.query<{ status: string }>("SELECT status FROM newsletter_issues WHERE id = $1", [
    issueId,
  ]);
  return rows[0]!.status;
}

export async function deliveryStatuses(db: Database, issueId: number): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }>(
    "SELECT status, count(*)::integer AS n FROM newsletter_deliveries WHERE issue_id = $1 GROUP BY status",
    [issueId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("Timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

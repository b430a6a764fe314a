import { expect } from "vitest";
import { startSession } from "../../src/accounts/sessions.ts";
import type { Role } from "../../src/accounts/store.ts";
import type { Database } from "../../src/db/database.ts";
import { createAccount } from "../helpers/accounts.ts";
import type { TestApp } from "../helpers/app.ts";

/** An event straight in the database (the editor workspace that makes them is another feature). */
export async function createEvent(db: Database, slug: string): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO events (slug, starts_at, title_en, created_at, updated_at)
     VALUES ($1, now(), $1, now(), now()) RETURNING id`,
    [slug],
  );
  return rows[0]!.id;
}

/** A verified account with `role` and a session cookie value for it. */
export async function sessionFor(t: TestApp, email: string, role: Role): Promise<string> {
  const now = t.clock.now();
  const id = await createAccount(t.db, now, { email, role });
  return startSession(t.deps, id);
}

export type ItemState = { status: string; status_reason: string | null; progress: number };

export async function itemState(db: Database, id: number): Promise<ItemState> {
  const rows = await db.query<ItemState>(
    "SELECT status, status_reason, progress FROM media_items WHERE id = $1",
    [id],
  );
  return rows[0]!;
}

/** Waits for the job workers to finish the item (ready or failed). */
export async function waitForItem(db: Database, id: number, timeoutMs = 60_000): Promise<ItemState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await itemState(db, id);
    if (state.status === "ready" || state.status === "failed") return state;
    if (Date.now() > deadline) expect.fail(`item ${id} still ${state.status} (${state.progress}%)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function renditionsOf(
  db: Database,
  id: number,
): Promise<Map<string, { key: string; meta: Record<string, unknown> }>> {
  const rows = await db.query<{ kind: string; storage_key: string; meta: Record<string, unknown> }>(
    "SELECT kind, storage_key, meta FROM renditions WHERE media_item_id = $1",
    [id],
  );
  return new Map(rows.map((r) => [r.kind, { key: r.storage_key, meta: r.meta }]));
}

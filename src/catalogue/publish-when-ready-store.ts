import type { Queryable } from "../db/database.ts";

/**
 * Table publish_when_ready (migration 016): an item to publish as soon as its processing
 * completes (the CLI's --publish, an editor's "Publish" pressed while the video is processed).
 * SQL and row mapping, nothing else.
 */

export async function requestPublishWhenReady(db: Queryable, itemId: number, now: Date): Promise<void> {
  await db.query(
    "INSERT INTO publish_when_ready (media_item_id, requested_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    [itemId, now],
  );
}

/**
 * Asks for the item to be published once it is ready, unless it is ready already: false then (and
 * for no such item). The item's row is locked while this is decided, so processing that completes
 * meanwhile either finds the wish or has marked the item ready before (ingest/process.ts takes the
 * wish in the transaction that marks it ready).
 */
export async function requestPublishUnlessReady(db: Queryable, itemId: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO publish_when_ready (media_item_id, requested_at)
       SELECT id, $2 FROM media_items WHERE id = $1 AND status <> 'ready' FOR UPDATE
     ON CONFLICT (media_item_id) DO UPDATE SET requested_at = publish_when_ready.requested_at
     RETURNING 1`,
    [itemId, now],
  );
  return rows.length > 0;
}

/** Takes the item's wish to be published, if any: true once, then it is gone. */
export async function takePublishWhenReady(db: Queryable, itemId: number): Promise<boolean> {
  const rows = await db.query("DELETE FROM publish_when_ready WHERE media_item_id = $1 RETURNING 1", [
    itemId,
  ]);
  return rows.length > 0;
}

export async function publishWhenReadyAsked(db: Queryable, itemId: number): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM publish_when_ready WHERE media_item_id = $1", [itemId]);
  return rows.length > 0;
}

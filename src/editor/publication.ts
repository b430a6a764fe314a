import type { Queryable } from "../db/database.ts";

/**
 * Publishing keeps the first publication time; unpublishing clears it. Events and items
 * publish the same way; the table name comes from this closed list, never from a request.
 */
export async function setPublished(
  db: Queryable,
  table: "events" | "media_items",
  id: number,
  publish: boolean,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE ${table} SET published_at = CASE WHEN $1::boolean THEN COALESCE(published_at, $2) ELSE NULL END,
       updated_at = $2 WHERE id = $3`,
    [publish, now, id],
  );
}

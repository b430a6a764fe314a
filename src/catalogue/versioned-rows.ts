import type { Queryable } from "../db/database.ts";

/**
 * Events and media items are both versioned (their ETag; a trigger moves `version` on at every
 * change) and published the same way. Their stores (event-store.ts, item-store.ts) call these with
 * their own table; the name is one of these two, never a caller's string.
 */
type VersionedTable = "events" | "media_items";

/**
 * Publishing keeps the first publication time, taking back clears it. `version`: as the writer
 * read the row; nothing is written (false) if it changed since. Null writes whatever the version.
 */
export async function setPublished(
  db: Queryable,
  table: VersionedTable,
  id: number,
  publish: boolean,
  now: Date,
  version: number | null,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE ${table}
     SET published_at = CASE WHEN $1::boolean THEN COALESCE(published_at, $2) ELSE NULL END, updated_at = $2
     WHERE id = $3 AND ($4::integer IS NULL OR version = $4) RETURNING id`,
    [publish, now, id, version],
  );
  return rows.length > 0;
}

/** The row's version (its ETag), or null when there is no such row. */
export async function rowVersion(db: Queryable, table: VersionedTable, id: number): Promise<number | null> {
  const [row] = await db.query<{ version: number }>(`SELECT version FROM ${table} WHERE id = $1`, [id]);
  return row ? Number(row.version) : null;
}

/** The row a workspace form sent with this one-time token made (editor/form-token.ts), or null. */
export async function rowByFormToken(
  db: Queryable,
  table: VersionedTable,
  token: string,
): Promise<number | null> {
  const [row] = await db.query<{ id: number }>(`SELECT id FROM ${table} WHERE form_token = $1`, [token]);
  return row ? Number(row.id) : null;
}

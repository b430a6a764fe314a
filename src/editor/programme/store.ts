import type { ProgrammeItem } from "../../catalogue/types.ts";
import type { Queryable } from "../../db/database.ts";

export type EntryInput = Pick<ProgrammeItem, "startsAt" | "title" | "mediaItemId">;

type EntryRow = {
  id: number;
  event_id: number;
  position: number;
  starts_at: Date | null;
  title_en: string;
  title_fr: string;
  media_item_id: number | null;
};

function toEntry(row: EntryRow): ProgrammeItem {
  return {
    id: row.id,
    eventId: row.event_id,
    position: row.position,
    startsAt: row.starts_at,
    title: { en: row.title_en, fr: row.title_fr },
    mediaItemId: row.media_item_id,
  };
}

const columns = "id, event_id, position, starts_at, title_en, title_fr, media_item_id";

export async function listProgramme(db: Queryable, eventId: number): Promise<ProgrammeItem[]> {
  const rows = await db.query<EntryRow>(
    `SELECT ${columns} FROM programme_items WHERE event_id = $1 ORDER BY position, id`,
    [eventId],
  );
  return rows.map(toEntry);
}

export async function findEntry(db: Queryable, eventId: number, id: number): Promise<ProgrammeItem | null> {
  const rows = await db.query<EntryRow>(
    `SELECT ${columns} FROM programme_items WHERE event_id = $1 AND id = $2`,
    [eventId, id],
  );
  return rows[0] ? toEntry(rows[0]) : null;
}

/** A new entry goes last. */
export async function insertEntry(db: Queryable, eventId: number, input: EntryInput): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO programme_items (event_id, position, starts_at, title_en, title_fr, media_item_id)
     VALUES ($1, (SELECT COALESCE(max(position) + 1, 0) FROM programme_items WHERE event_id = $1), $2, $3, $4, $5)
     RETURNING id`,
    [eventId, input.startsAt, input.title.en, input.title.fr, input.mediaItemId],
  );
  return rows[0]!.id;
}

export async function updateEntry(
  db: Queryable,
  eventId: number,
  id: number,
  input: EntryInput,
): Promise<void> {
  await db.query(
    `UPDATE programme_items SET starts_at = $1, title_en = $2, title_fr = $3, media_item_id = $4
     WHERE event_id = $5 AND id = $6`,
    [input.startsAt, input.title.en, input.title.fr, input.mediaItemId, eventId, id],
  );
}

export async function deleteEntry(db: Queryable, eventId: number, id: number): Promise<void> {
  await db.query("DELETE FROM programme_items WHERE event_id = $1 AND id = $2", [eventId, id]);
}

/** Positions 0, 1, 2… in the order of `ids`, in one statement so no reader sees half an order. */
export async function setProgrammeOrder(db: Queryable, eventId: number, ids: number[]): Promise<void> {
  await db.query(
    `UPDATE programme_items p SET position = o.ord - 1
     FROM unnest($1::integer[]) WITH ORDINALITY AS o(id, ord)
     WHERE p.id = o.id AND p.event_id = $2`,
    [ids, eventId],
  );
}

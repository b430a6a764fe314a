import { numberOrNull } from "../db/columns.ts";
import type { Queryable } from "../db/database.ts";
import { programmeColumns, toProgrammeItem } from "./rows.ts";
import type { ProgrammeItem } from "./types.ts";
import type { ProgrammeEntry, Viewer } from "./view-models.ts";

/** Table programme_items: an event's programme, in order. SQL and row mapping, nothing else. */

export type ProgrammeEntryInput = Pick<ProgrammeItem, "startsAt" | "title" | "mediaItemId">;

/** The programme in order, each entry with the item that recorded it when the viewer may see it. */
export async function programmeOf(db: Queryable, viewer: Viewer, eventId: number): Promise<ProgrammeEntry[]> {
  const itemVisible = viewer.editor
    ? "($1::timestamptz IS NOT NULL)"
    : "(m.published_at IS NOT NULL AND m.published_at <= $1)";
  const rows = await db.query(
    `SELECT ${programmeColumns("p")},
       m.id AS item_id, m.title_en AS item_title_en, m.title_fr AS item_title_fr, m.kind AS item_kind,
       m.duration_seconds AS item_duration
     FROM programme_items p
     LEFT JOIN media_items m ON m.id = p.media_item_id AND ${itemVisible}
     WHERE p.event_id = $2
     ORDER BY p.position, p.starts_at NULLS LAST, p.id`,
    [viewer.now, eventId],
  );
  return rows.map((r) => ({
    ...toProgrammeItem(r),
    item:
      r.item_id === null
        ? null
        : {
            id: Number(r.item_id),
            title: { en: String(r.item_title_en ?? ""), fr: String(r.item_title_fr ?? "") },
            kind: String(r.item_kind),
            durationSeconds: numberOrNull(r.item_duration),
          },
  }));
}

/** Every entry, for editors: ordered by position alone, the order they rearrange. */
export async function listProgramme(db: Queryable, eventId: number): Promise<ProgrammeItem[]> {
  const rows = await db.query(
    `SELECT ${programmeColumns("p")} FROM programme_items p WHERE p.event_id = $1 ORDER BY p.position, p.id`,
    [eventId],
  );
  return rows.map(toProgrammeItem);
}

export async function findProgrammeEntry(
  db: Queryable,
  eventId: number,
  id: number,
): Promise<ProgrammeItem | null> {
  const [row] = await db.query(
    `SELECT ${programmeColumns("p")} FROM programme_items p WHERE p.event_id = $1 AND p.id = $2`,
    [eventId, id],
  );
  return row ? toProgrammeItem(row) : null;
}

export async function hasProgramme(db: Queryable, eventId: number): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM programme_items WHERE event_id = $1 LIMIT 1", [eventId]);
  return rows.length > 0;
}

/** A new entry goes last. */
export async function insertProgrammeEntry(
  db: Queryable,
  eventId: number,
  input: ProgrammeEntryInput,
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO programme_items (event_id, position, starts_at, title_en, title_fr, media_item_id)
     VALUES ($1, (SELECT COALESCE(max(position) + 1, 0) FROM programme_items WHERE event_id = $1), $2, $3, $4, $5)
     RETURNING id`,
    [eventId, input.startsAt, input.title.en, input.title.fr, input.mediaItemId],
  );
  return rows[0]!.id;
}

/** `version`: as the writer read it; nothing is written (false) if the entry changed since. */
export async function updateProgrammeEntry(
  db: Queryable,
  eventId: number,
  id: number,
  input: ProgrammeEntryInput,
  version: number | null = null,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE programme_items SET starts_at = $1, title_en = $2, title_fr = $3, media_item_id = $4
     WHERE event_id = $5 AND id = $6 AND ($7::integer IS NULL OR version = $7) RETURNING id`,
    [input.startsAt, input.title.en, input.title.fr, input.mediaItemId, eventId, id, version],
  );
  return rows.length > 0;
}

export async function deleteProgrammeEntry(
  db: Queryable,
  eventId: number,
  id: number,
  version: number | null = null,
): Promise<boolean> {
  const rows = await db.query(
    `DELETE FROM programme_items WHERE event_id = $1 AND id = $2 AND ($3::integer IS NULL OR version = $3)
     RETURNING id`,
    [eventId, id, version],
  );
  return rows.length > 0;
}

/** Each entry's version (its ETag), by id. */
export async function programmeVersions(db: Queryable, eventId: number): Promise<Map<number, number>> {
  const rows = await db.query<{ id: number; version: number }>(
    "SELECT id, version FROM programme_items WHERE event_id = $1",
    [eventId],
  );
  return new Map(rows.map((r) => [Number(r.id), Number(r.version)]));
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

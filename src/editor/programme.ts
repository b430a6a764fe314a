import { findEvent } from "../catalogue/event-store.ts";
import { allItemsOfEvent } from "../catalogue/item-store.ts";
import {
  deleteProgrammeEntry,
  findProgrammeEntry,
  insertProgrammeEntry,
  listProgramme,
  type ProgrammeEntryInput,
  setProgrammeOrder,
  updateProgrammeEntry,
} from "../catalogue/programme-store.ts";
import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import { addProblem, type FieldProblems, formValue, throwIfProblems } from "../web/form.ts";
import { bilingual, idOf } from "./validate.ts";
import { formatZonedDate, parseZonedDateTime } from "./zoned-time.ts";

export type ProgrammeDeps = { db: Database; timeZone: string };

/**
 * An entry's form: a time of day on the event's date, titles, and optionally the media item
 * (of this event) that recorded it.
 */
async function readEntryForm(
  deps: ProgrammeDeps,
  eventId: number,
  body: unknown,
): Promise<ProgrammeEntryInput> {
  const event = await findEvent(deps.db, eventId);
  if (!event) throw new UserError("event_not_found");
  const problems: FieldProblems = {};
  const time = formValue(body, "time").trim();
  let startsAt: Date | null = null;
  if (time) {
    const day = formatZonedDate(event.startsAt, deps.timeZone);
    startsAt = /^\d{1,2}:\d{2}$/.test(time)
      ? parseZonedDateTime(`${day}T${time.padStart(5, "0")}`, deps.timeZone)
      : null;
    if (!startsAt) addProblem(problems, "time", "editor.error.time_invalid");
  }
  const title = bilingual(body, "title", 300, problems);
  if (!title.en && !title.fr) addProblem(problems, "title_en", "editor.error.title_required");
  const rawItem = formValue(body, "media_item_id");
  const mediaItemId = rawItem ? idOf(rawItem) : null;
  if (rawItem) {
    const items = await allItemsOfEvent(deps.db, eventId);
    if (mediaItemId === null || !items.some((item) => item.id === mediaItemId)) {
      addProblem(problems, "media_item_id", "editor.error.item_not_in_event");
    }
  }
  throwIfProblems(problems);
  return { startsAt, title, mediaItemId };
}

export async function addEntry(deps: ProgrammeDeps, eventId: number, body: unknown): Promise<number> {
  return insertProgrammeEntry(deps.db, eventId, await readEntryForm(deps, eventId, body));
}

export async function editEntry(
  deps: ProgrammeDeps,
  eventId: number,
  id: number,
  body: unknown,
): Promise<void> {
  if (!(await findProgrammeEntry(deps.db, eventId, id))) throw new UserError("not_found");
  await updateProgrammeEntry(deps.db, eventId, id, await readEntryForm(deps, eventId, body));
}

export async function removeEntry(deps: ProgrammeDeps, eventId: number, id: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await deleteProgrammeEntry(tx, eventId, id);
    const rest = await listProgramme(tx, eventId);
    await setProgrammeOrder(
      tx,
      eventId,
      rest.map((e) => e.id),
    );
  });
}

/** "Move up" / "Move down": swaps an entry with its neighbour; at either end nothing changes. */
export async function moveEntry(
  deps: ProgrammeDeps,
  eventId: number,
  id: number,
  direction: string,
): Promise<void> {
  const step = direction === "up" ? -1 : direction === "down" ? 1 : 0;
  if (step === 0) throw new UserError("invalid_input");
  await deps.db.transaction(async (tx) => {
    const ids = (await listProgramme(tx, eventId)).map((e) => e.id);
    const from = ids.indexOf(id);
    if (from === -1) throw new UserError("not_found");
    const to = from + step;
    if (to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    await setProgrammeOrder(tx, eventId, ids);
  });
}

/**
 * A whole new order (drag and drop): it must name every entry of the programme once, so a
 * page that is out of date (someone added an entry meanwhile) cannot drop or duplicate one.
 */
export async function reorderProgramme(deps: ProgrammeDeps, eventId: number, order: string): Promise<void> {
  const ids = order.split(",").map((part) => idOf(part.trim()));
  await deps.db.transaction(async (tx) => {
    const current = (await listProgramme(tx, eventId)).map((e) => e.id);
    const wanted = new Set(ids);
    const complete =
      ids.length === current.length && wanted.size === ids.length && current.every((id) => wanted.has(id));
    if (!complete) throw new UserError("invalid_input", {}, { order: ["editor.error.order_outdated"] });
    await setProgrammeOrder(tx, eventId, ids as number[]);
  });
}

import { eventVersion, findEvent } from "../catalogue/event-store.ts";
import { allItemsOfEvent } from "../catalogue/item-store.ts";
import {
  deleteProgrammeEntry,
  findProgrammeEntry,
  insertProgrammeEntry,
  listProgramme,
  type ProgrammeEntryInput,
  programmeVersions,
  setProgrammeOrder,
  updateProgrammeEntry,
} from "../catalogue/programme-store.ts";
import type { Localized } from "../catalogue/types.ts";
import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import { addProblem, type FieldProblems, formValue, throwIfProblems } from "../web/form.ts";
import { checkBilingual, checkTitle, formBilingual, idOf, type VersionCheck } from "./validate.ts";
import { formatZonedDate, parseZonedDateTime } from "./zoned-time.ts";

export type ProgrammeDeps = { db: Database; timeZone: string };

/** The checks every entry goes through, whoever sent it; problems are named as the form's fields. */
async function checkEntry(
  deps: ProgrammeDeps,
  eventId: number,
  input: ProgrammeEntryInput,
  problems: FieldProblems,
): Promise<ProgrammeEntryInput> {
  checkTitle(problems, input.title);
  checkBilingual(problems, "title", input.title, 300);
  if (input.mediaItemId !== null) {
    const items = await allItemsOfEvent(deps.db, eventId);
    if (!items.some((item) => item.id === input.mediaItemId)) {
      addProblem(problems, "media_item_id", "editor.error.item_not_in_event");
    }
  }
  throwIfProblems(problems);
  return input;
}

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
  const rawItem = formValue(body, "media_item_id");
  const mediaItemId = rawItem ? idOf(rawItem) : null;
  if (rawItem && mediaItemId === null)
    addProblem(problems, "media_item_id", "editor.error.item_not_in_event");
  return checkEntry(deps, eventId, { startsAt, title: formBilingual(body, "title"), mediaItemId }, problems);
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
  await applyOrder(
    deps,
    eventId,
    order.split(",").map((part) => idOf(part.trim())),
  );
}

async function applyOrder(deps: ProgrammeDeps, eventId: number, ids: (number | null)[]): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const current = (await listProgramme(tx, eventId)).map((e) => e.id);
    const wanted = new Set(ids);
    const complete =
      ids.length === current.length && wanted.size === ids.length && current.every((id) => wanted.has(id));
    if (!complete) throw new UserError("invalid_input", {}, { order: ["editor.error.order_outdated"] });
    await setProgrammeOrder(tx, eventId, ids as number[]);
  });
}

// --- the JSON API: the same checks, fields named as the API names them ----------------------

/** An entry as the API takes it; what a PATCH leaves out stays, null clears the time or the item. */
export type EntryFields = { startsAt?: string | null; title?: Partial<Localized>; itemId?: number | null };

/** The event's version, checked (the programme is part of the event: its ETag is the event's). */
async function checkEvent(deps: ProgrammeDeps, eventId: number, check: VersionCheck): Promise<void> {
  const version = await eventVersion(deps.db, eventId);
  if (version === null) throw new UserError("event_not_found");
  check(version);
}

function entryInput(fields: EntryFields, current: ProgrammeEntryInput): ProgrammeEntryInput {
  const { title } = current;
  return {
    startsAt:
      fields.startsAt === undefined
        ? current.startsAt
        : fields.startsAt === null
          ? null
          : new Date(fields.startsAt),
    title: {
      en: fields.title?.en === undefined ? title.en : fields.title.en.trim(),
      fr: fields.title?.fr === undefined ? title.fr : fields.title.fr.trim(),
    },
    mediaItemId: fields.itemId === undefined ? current.mediaItemId : fields.itemId,
  };
}

export async function addEntryFromJson(
  deps: ProgrammeDeps,
  eventId: number,
  fields: EntryFields,
  check: VersionCheck,
): Promise<number> {
  await checkEvent(deps, eventId, check);
  const empty = { startsAt: null, title: { en: "", fr: "" }, mediaItemId: null };
  const input = await checkEntry(deps, eventId, entryInput(fields, empty), {});
  return insertProgrammeEntry(deps.db, eventId, input);
}

/** The entry's version, read before the entry: a write in between makes the version stale, never the entry. */
async function currentEntry(deps: ProgrammeDeps, eventId: number, id: number, check: VersionCheck) {
  const version = (await programmeVersions(deps.db, eventId)).get(id);
  const entry = version === undefined ? null : await findProgrammeEntry(deps.db, eventId, id);
  if (version === undefined || !entry) throw new UserError("not_found");
  check(version);
  return { entry, version };
}

export async function changeEntry(
  deps: ProgrammeDeps,
  eventId: number,
  id: number,
  fields: EntryFields,
  check: VersionCheck,
): Promise<void> {
  const { entry, version } = await currentEntry(deps, eventId, id, check);
  const input = await checkEntry(deps, eventId, entryInput(fields, entry), {});
  if (!(await updateProgrammeEntry(deps.db, eventId, id, input, version)))
    throw new UserError("precondition_failed");
}

/** Removes the entry; the others close up (positions 0, 1, 2… again). */
export async function deleteEntry(
  deps: ProgrammeDeps,
  eventId: number,
  id: number,
  check: VersionCheck,
): Promise<void> {
  const { version } = await currentEntry(deps, eventId, id, check);
  await deps.db.transaction(async (tx) => {
    if (!(await deleteProgrammeEntry(tx, eventId, id, version))) throw new UserError("precondition_failed");
    await setProgrammeOrder(
      tx,
      eventId,
      (await listProgramme(tx, eventId)).map((e) => e.id),
    );
  });
}

/** PUT order: every entry, each once (as the workspace's drag and drop). */
export async function orderProgramme(
  deps: ProgrammeDeps,
  eventId: number,
  ids: number[],
  check: VersionCheck,
): Promise<void> {
  await checkEvent(deps, eventId, check);
  await applyOrder(deps, eventId, ids);
}

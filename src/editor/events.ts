import {
  deleteEvent,
  type EventInput,
  eventByFormToken,
  eventVersion,
  findEvent,
  insertEvent,
  setEventPublished,
  slugTaken,
  updateEvent,
} from "../catalogue/event-store.ts";
import { allItemsOfEvent } from "../catalogue/item-store.ts";
import type { EventRecord, Localized } from "../catalogue/types.ts";
import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import { addProblem, type FieldProblems, formValue, throwIfProblems } from "../web/form.ts";
import { formTokenOf, onceForToken } from "./form-token.ts";
import { eventSlug, firstFreeSlug, isValidSlug } from "./slug.ts";
import {
  checkBilingual,
  checkLength,
  checkTitle,
  formBilingual,
  formText,
  optionalDateTime,
  type VersionCheck,
} from "./validate.ts";
import { formatZonedDate } from "./zoned-time.ts";

export type EventDeps = { db: Database; now: () => Date; timeZone: string };

/** What the event form sent, as typed (shown back when it has problems). */
export type EventForm = Record<string, string>;

export const eventFormFields = [
  "slug",
  "starts_at",
  "ends_at",
  ...["place", "title", "summary", "body"].flatMap((n) => [`${n}_en`, `${n}_fr`]),
] as const;

export function eventFormOf(body: unknown): EventForm {
  return Object.fromEntries(eventFormFields.map((name) => [name, formValue(body, name)]));
}

/** An event as read from a form or JSON, before its checks: the start may still be missing. */
type EventDraft = Omit<EventInput, "startsAt"> & { startsAt: Date | null };

/** The checks every event goes through, whoever sent it; problems are named as the form's fields. */
function checkEvent(draft: EventDraft, problems: FieldProblems): EventInput {
  checkLength(problems, "slug", draft.slug, 80);
  if (draft.slug && !isValidSlug(draft.slug)) addProblem(problems, "slug", "editor.error.slug_invalid");
  if (!draft.startsAt && !problems.starts_at)
    addProblem(problems, "starts_at", "editor.error.starts_required");
  if (draft.startsAt && draft.endsAt && draft.endsAt < draft.startsAt)
    addProblem(problems, "ends_at", "editor.error.ends_before_start");
  checkTitle(problems, draft.title);
  checkBilingual(problems, "title", draft.title, 300);
  checkBilingual(problems, "place", draft.place, 300);
  checkBilingual(problems, "summary", draft.summary, 2000);
  checkBilingual(problems, "body", draft.body, 50_000);
  throwIfProblems(problems);
  return { ...draft, startsAt: draft.startsAt! };
}

/** The event form → an event, or `invalid_input` with a translated problem per field. */
export function readEventForm(body: unknown, timeZone: string): EventInput {
  const problems: FieldProblems = {};
  return checkEvent(
    {
      slug: formText(body, "slug").toLowerCase(),
      startsAt: optionalDateTime(body, "starts_at", timeZone, problems),
      endsAt: optionalDateTime(body, "ends_at", timeZone, problems),
      place: formBilingual(body, "place"),
      title: formBilingual(body, "title"),
      summary: formBilingual(body, "summary"),
      body: formBilingual(body, "body"),
    },
    problems,
  );
}

/** An empty slug is made from the date and title; a slug in use is refused, never silently changed. */
async function settleSlug(deps: EventDeps, input: EventInput, id: number | null): Promise<EventInput> {
  if (input.slug) {
    if (await slugTaken(deps.db, input.slug, id)) {
      throw new UserError("invalid_input", {}, { slug: ["editor.error.slug_taken"] });
    }
    return input;
  }
  const base = eventSlug(formatZonedDate(input.startsAt, deps.timeZone), input.title.en || input.title.fr);
  const slug = await firstFreeSlug(base, (s) => slugTaken(deps.db, s, id));
  return { ...input, slug };
}

/**
 * Two editors taking the same slug at the same moment both pass `settleSlug`; the unique index
 * decides, and the one who lost is told as the check would have told them.
 */
async function slugGuarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: unknown }).code === "23505")
      throw new UserError("invalid_input", {}, { slug: ["editor.error.slug_taken"] });
    throw error;
  }
}

/** The new-event form: sent again with the same one-time token, the event the first post made (form-token.ts). */
export async function createEvent(deps: EventDeps, body: unknown): Promise<number> {
  const token = formTokenOf(body);
  return onceForToken(
    token,
    (t) => eventByFormToken(deps.db, t),
    async () => {
      const input = await settleSlug(deps, await readEventFormAndSlug(deps, body, null), null);
      return slugGuarded(() => insertEvent(deps.db, input, deps.now(), token));
    },
  );
}

/** The event page's save, on the event as the page's route read it (`version`; see editItem). */
export async function editEvent(deps: EventDeps, id: number, body: unknown, version: number): Promise<void> {
  const input = await settleSlug(deps, await readEventFormAndSlug(deps, body, id), id);
  const saved = await slugGuarded(() => updateEvent(deps.db, id, input, deps.now(), version));
  if (!saved) throw new UserError("edited_meanwhile");
}

/** `readEventForm`, whose refusal also says a slug in use: every problem at once, not one per try. */
async function readEventFormAndSlug(deps: EventDeps, body: unknown, id: number | null): Promise<EventInput> {
  try {
    return readEventForm(body, deps.timeZone);
  } catch (error) {
    const slug = formText(body, "slug").toLowerCase();
    if (
      !(error instanceof UserError) ||
      slug === "" ||
      error.fields.slug ||
      !(await slugTaken(deps.db, slug, id))
    )
      throw error;
    throw new UserError(error.code, error.params, { ...error.fields, slug: ["editor.error.slug_taken"] });
  }
}

// --- the JSON API: the same checks, fields named as the API names them ----------------------

/** An event's fields as the API takes them (ISO 8601 instants); what a PATCH leaves out stays. */
export type EventFields = {
  slug?: string;
  startsAt?: string;
  endsAt?: string | null;
  title?: Partial<Localized>;
  summary?: Partial<Localized>;
  body?: Partial<Localized>;
  place?: Partial<Localized>;
};

const trimmed = (value: Partial<Localized> | undefined, current: Localized): Localized => ({
  en: value?.en === undefined ? current.en : value.en.trim(),
  fr: value?.fr === undefined ? current.fr : value.fr.trim(),
});
const instant = (value: string | null | undefined, current: Date | null): Date | null =>
  value === undefined ? current : value === null ? null : new Date(value);

function draftOf(fields: EventFields, current: EventInput | null): EventDraft {
  const empty = { en: "", fr: "" };
  return {
    slug: fields.slug === undefined ? (current?.slug ?? "") : fields.slug.trim().toLowerCase(),
    startsAt: instant(fields.startsAt, current?.startsAt ?? null),
    endsAt: instant(fields.endsAt, current?.endsAt ?? null),
    title: trimmed(fields.title, current?.title ?? empty),
    summary: trimmed(fields.summary, current?.summary ?? empty),
    body: trimmed(fields.body, current?.body ?? empty),
    place: trimmed(fields.place, current?.place ?? empty),
  };
}

export async function createEventFromJson(deps: EventDeps, fields: EventFields): Promise<number> {
  const input = await settleSlug(deps, checkEvent(draftOf(fields, null), {}), null);
  return slugGuarded(() => insertEvent(deps.db, input, deps.now()));
}

/** The event and its version, read in that order: a write in between makes the version stale, never the event. */
export async function currentEvent(deps: Pick<EventDeps, "db">, id: number, check: VersionCheck = () => {}) {
  const version = await eventVersion(deps.db, id);
  const event = version === null ? null : await findEvent(deps.db, id);
  if (version === null || !event) throw new UserError("event_not_found");
  check(version);
  return { event, version };
}

/** PATCH: only the fields named change; the rest of the event goes through the checks as it is. */
export async function changeEvent(
  deps: EventDeps,
  id: number,
  fields: EventFields,
  check: VersionCheck,
): Promise<void> {
  const { event, version } = await currentEvent(deps, id, check);
  const input = await settleSlug(deps, checkEvent(draftOf(fields, event), {}), id);
  if (!(await slugGuarded(() => updateEvent(deps.db, id, input, deps.now(), version))))
    throw new UserError("precondition_failed");
}

export async function publishEvent(
  deps: EventDeps,
  id: number,
  publish: boolean,
  check: VersionCheck,
): Promise<EventRecord> {
  const { version } = await currentEvent(deps, id, check);
  if (!(await setEventPublished(deps.db, id, publish, deps.now(), version)))
    throw new UserError("precondition_failed");
  return (await findEvent(deps.db, id))!;
}

/**
 * Deletes an event and its programme. Items are never deleted with it, nor left without their
 * event by surprise: an event that still has any is refused (409) until they are moved or deleted.
 */
export async function removeEvent(deps: EventDeps, id: number, check: VersionCheck): Promise<void> {
  const { version } = await currentEvent(deps, id, check);
  const outcome = await deleteEvent(deps.db, id, version);
  if (outcome === "has_items") {
    const count = (await allItemsOfEvent(deps.db, id)).length;
    throw new UserError("event_has_items", { count });
  }
  if (outcome === "changed") throw new UserError("precondition_failed");
}

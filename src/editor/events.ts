import { type EventInput, insertEvent, slugTaken, updateEvent } from "../catalogue/event-store.ts";
import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import { addProblem, type FieldProblems, formValue, throwIfProblems } from "../web/form.ts";
import { eventSlug, firstFreeSlug, isValidSlug } from "./slug.ts";
import { bilingual, optionalDateTime, text } from "./validate.ts";
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

/** The event form → an event, or `invalid_input` with a translated problem per field. */
export function readEventForm(body: unknown, timeZone: string): Omit<EventInput, "slug"> & { slug: string } {
  const problems: FieldProblems = {};
  const slug = text(body, "slug", 80, problems).toLowerCase();
  if (slug && !isValidSlug(slug)) addProblem(problems, "slug", "editor.error.slug_invalid");
  const startsAt = optionalDateTime(body, "starts_at", timeZone, problems);
  if (!formValue(body, "starts_at").trim()) addProblem(problems, "starts_at", "editor.error.starts_required");
  const endsAt = optionalDateTime(body, "ends_at", timeZone, problems);
  if (startsAt && endsAt && endsAt < startsAt)
    addProblem(problems, "ends_at", "editor.error.ends_before_start");
  const title = bilingual(body, "title", 300, problems);
  if (!title.en && !title.fr) {
    addProblem(problems, "title_en", "editor.error.title_required");
  }
  const place = bilingual(body, "place", 300, problems);
  const summary = bilingual(body, "summary", 2000, problems);
  const eventBody = bilingual(body, "body", 50_000, problems);
  throwIfProblems(problems);
  return { slug, startsAt: startsAt!, endsAt, place, title, summary, body: eventBody };
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

export async function createEvent(deps: EventDeps, body: unknown): Promise<number> {
  const input = await settleSlug(deps, readEventForm(body, deps.timeZone), null);
  return insertEvent(deps.db, input, deps.now());
}

export async function editEvent(deps: EventDeps, id: number, body: unknown): Promise<void> {
  const input = await settleSlug(deps, readEventForm(body, deps.timeZone), id);
  await updateEvent(deps.db, id, input, deps.now());
}

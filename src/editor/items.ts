import { findEvent, findEventBySlug } from "../catalogue/event-store.ts";
import {
  createItem,
  deleteItem,
  findItem,
  type ItemInput,
  itemByFormToken,
  itemVersion,
  updateItem,
} from "../catalogue/item-store.ts";
import { findLiveStream } from "../catalogue/live-store.ts";
import { findMaster, setAudioLabels } from "../catalogue/media-store.ts";
import { itemPrefix, livePrefix } from "../catalogue/storage-keys.ts";
import {
  type AudioTrackLabel,
  audioLabels,
  type Localized,
  type MediaType,
  mediaKinds,
  mediaTypes,
} from "../catalogue/types.ts";
import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import type { Storage } from "../storage/storage.ts";
import { addProblem, type FieldProblems, formValue, throwIfProblems } from "../web/form.ts";
import { isKnownLanguage } from "../web/intl.ts";
import { formTokenOf, onceForToken } from "./form-token.ts";
import {
  checkBilingual,
  checkLength,
  checkTitle,
  formBilingual,
  formText,
  idOf,
  optionalDateTime,
  type VersionCheck,
} from "./validate.ts";

export type ItemDeps = { db: Database; now: () => Date; timeZone: string };

export const itemFormFields = [
  "event_id",
  "media_type",
  "kind",
  "credit",
  "speakers",
  "languages",
  "recorded_at",
  "embargo_until",
  ...["title", "description", "shot_list", "usage_terms"].flatMap((n) => [`${n}_en`, `${n}_fr`]),
];

export function itemFormOf(body: unknown): Record<string, string> {
  return Object.fromEntries(itemFormFields.map((name) => [name, formValue(body, name)]));
}

/** One speaker a line ("Name, role" stays one speaker). */
function speakersOf(body: unknown): string[] {
  return formValue(body, "speakers")
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Language codes such as "en, fr, de": what is spoken in the recording. */
function languagesOf(body: unknown): string[] {
  return formValue(body, "languages")
    .toLowerCase()
    .split(/[\s,;]+/)
    .filter(Boolean);
}

/** The checks every item goes through, whoever sent it; problems are named as the form's fields. */
async function checkItem(deps: ItemDeps, input: ItemInput, problems: FieldProblems): Promise<ItemInput> {
  if (input.eventId !== null && !(await findEvent(deps.db, input.eventId))) {
    addProblem(problems, "event_id", "editor.error.event_invalid");
  }
  if (!(mediaKinds as readonly string[]).includes(input.kind))
    addProblem(problems, "kind", "editor.error.kind_invalid");
  checkTitle(problems, input.title);
  checkBilingual(problems, "title", input.title, 300);
  checkBilingual(problems, "description", input.description, 10_000);
  checkBilingual(problems, "shot_list", input.shotList, 20_000);
  checkBilingual(problems, "usage_terms", input.usageTerms, 5_000);
  checkLength(problems, "credit", input.credit, 300);
  if (input.speakers.length > 50 || input.speakers.some((s) => s.length > 200))
    addProblem(problems, "speakers", "editor.error.too_long");
  if (input.languages.length > 10 || input.languages.some((c) => !/^[a-z]{2,3}$/.test(c))) {
    addProblem(problems, "languages", "editor.error.languages_invalid");
  } else if (!input.languages.every(isKnownLanguage)) {
    // ISO 639 codes that name a language: "xx" was accepted and shown as "xx" (found by hand).
    addProblem(problems, "languages", "editor.error.language_unknown");
  }
  throwIfProblems(problems);
  return { ...input, languages: [...new Set(input.languages)] };
}

async function readItemForm(deps: ItemDeps, body: unknown): Promise<ItemInput> {
  const problems: FieldProblems = {};
  const rawEvent = formValue(body, "event_id");
  const eventId = rawEvent ? idOf(rawEvent) : null;
  if (rawEvent && eventId === null) addProblem(problems, "event_id", "editor.error.event_invalid");
  const input: ItemInput = {
    eventId,
    kind: formValue(body, "kind"),
    title: formBilingual(body, "title"),
    description: formBilingual(body, "description"),
    shotList: formBilingual(body, "shot_list"),
    usageTerms: formBilingual(body, "usage_terms"),
    credit: formText(body, "credit"),
    speakers: speakersOf(body),
    languages: languagesOf(body),
    recordedAt: optionalDateTime(body, "recorded_at", deps.timeZone, problems),
    embargoUntil: optionalDateTime(body, "embargo_until", deps.timeZone, problems),
  };
  return checkItem(deps, input, problems);
}

/**
 * An item made in the workspace, before its master is uploaded (or for a photo set's text). Sent
 * again with the same one-time token: the item the first post made (form-token.ts).
 */
export async function createItemFromForm(deps: ItemDeps, body: unknown): Promise<number> {
  const formToken = formTokenOf(body);
  return onceForToken(
    formToken,
    (t) => itemByFormToken(deps.db, t),
    () => insertItemFromForm(deps, body, formToken),
  );
}

async function insertItemFromForm(deps: ItemDeps, body: unknown, formToken: string | null): Promise<number> {
  const mediaType = formValue(body, "media_type");
  const typeKnown = (mediaTypes as readonly string[]).includes(mediaType);
  let input: ItemInput;
  try {
    input = await readItemForm(deps, body);
  } catch (error) {
    if (!typeKnown && error instanceof UserError)
      error.fields.media_type = ["editor.error.media_type_invalid"];
    throw error;
  }
  if (!typeKnown)
    throw new UserError("invalid_input", {}, { media_type: ["editor.error.media_type_invalid"] });
  // No master yet: the item waits for its upload.
  const made = { ...input, mediaType: mediaType as MediaType, status: "uploaded" as const, formToken };
  return createItem(deps.db, made, deps.now());
}

/**
 * The item page's save, on the item as the page's route read it (`version`): a save that finds
 * the row moved on since is refused as another editor's change (edit-base.ts), not written over it.
 */
export async function editItem(deps: ItemDeps, id: number, body: unknown, version: number): Promise<void> {
  const input = await readItemForm(deps, body);
  if (!(await updateItem(deps.db, id, input, deps.now(), version))) throw new UserError("edited_meanwhile");
}

/** Labels for the master's audio tracks (floor, en, fr, other); an empty choice leaves a track unlabelled. */
export async function labelAudioTracks(deps: ItemDeps, itemId: number, body: unknown): Promise<void> {
  const master = await findMaster(deps.db, itemId);
  if (!master) throw new UserError("item_not_found");
  const problems: FieldProblems = {};
  const labels: AudioTrackLabel[] = [];
  master.audio.forEach((_track, index) => {
    const label = formValue(body, `track_${index}`);
    if (!label) return;
    if ((audioLabels as readonly string[]).includes(label))
      labels.push({ index, label: label as AudioTrackLabel["label"] });
    else addProblem(problems, `track_${index}`, "field.invalid");
  });
  throwIfProblems(problems);
  await setAudioLabels(deps.db, itemId, labels);
}

// --- the JSON API: the same checks, fields named as the API names them ----------------------

/** An item's fields as the API takes them; what a PATCH leaves out stays, null clears a date or the event. */
export type ItemFields = {
  title?: Partial<Localized>;
  description?: Partial<Localized>;
  shotList?: Partial<Localized>;
  usageTerms?: Partial<Localized>;
  credit?: string;
  speakers?: string[];
  languages?: string[];
  kind?: string;
  /** The event's slug. */
  event?: string | null;
  recordedAt?: string | null;
  embargoUntil?: string | null;
};

const merged = (value: Partial<Localized> | undefined, current: Localized): Localized => ({
  en: value?.en === undefined ? current.en : value.en.trim(),
  fr: value?.fr === undefined ? current.fr : value.fr.trim(),
});
const instant = (value: string | null | undefined, current: Date | null): Date | null =>
  value === undefined ? current : value === null ? null : new Date(value);

/** The item and its version, read in that order: a write in between makes the version stale, never the item. */
export async function currentItem(deps: Pick<ItemDeps, "db">, id: number, check: VersionCheck = () => {}) {
  const version = await itemVersion(deps.db, id);
  const item = version === null ? null : await findItem(deps.db, id);
  if (version === null || !item) throw new UserError("item_not_found");
  check(version);
  return { item, version };
}

/** PATCH: only the fields named change; the whole item then goes through the form's checks. */
export async function changeItem(
  deps: ItemDeps,
  id: number,
  fields: ItemFields,
  check: VersionCheck,
): Promise<void> {
  const { item, version } = await currentItem(deps, id, check);
  const problems: FieldProblems = {};
  let eventId = item.eventId;
  if (typeof fields.event === "string") {
    eventId = (await findEventBySlug(deps.db, fields.event.trim()))?.id ?? null;
    if (eventId === null) addProblem(problems, "event_id", "editor.error.event_unknown");
  } else if (fields.event === null) eventId = null;
  const input = await checkItem(
    deps,
    {
      eventId,
      kind: fields.kind ?? item.kind,
      title: merged(fields.title, item.title),
      description: merged(fields.description, item.description),
      shotList: merged(fields.shotList, item.shotList),
      usageTerms: merged(fields.usageTerms, item.usageTerms),
      credit: fields.credit === undefined ? item.credit : fields.credit.trim(),
      speakers: fields.speakers ? fields.speakers.map((s) => s.trim()).filter(Boolean) : item.speakers,
      languages: fields.languages ? fields.languages.map((c) => c.trim().toLowerCase()) : item.languages,
      recordedAt: instant(fields.recordedAt, item.recordedAt),
      embargoUntil: instant(fields.embargoUntil, item.embargoUntil),
    },
    problems,
  );
  if (!(await updateItem(deps.db, id, input, deps.now(), version)))
    throw new UserError("precondition_failed");
}

/**
 * Deletes an item with everything stored for it (master, renditions: all under its prefix); its
 * transcript, downloads and programme links go with the row. The row goes first: files without
 * a row are unreachable, a row without its files would be a broken item.
 */
export async function removeItem(
  deps: ItemDeps & { storage: Storage },
  id: number,
  check: VersionCheck,
): Promise<void> {
  const { version } = await currentItem(deps, id, check);
  // The receiver would go on storing pieces of an item that is gone: the live is ended first.
  if ((await findLiveStream(deps.db, id))?.state === "live") throw new UserError("live_receiving");
  if (!(await deleteItem(deps.db, id, version))) throw new UserError("precondition_failed");
  await deps.storage.deletePrefix(itemPrefix(id));
  await deps.storage.deletePrefix(livePrefix(id));
}

import { findEvent } from "../catalogue/event-store.ts";
import { createItem, findItem, type ItemInput, updateItem } from "../catalogue/item-store.ts";
import { findMaster, setAudioLabels } from "../catalogue/media-store.ts";
import {
  type AudioTrackLabel,
  audioLabels,
  type MediaType,
  mediaKinds,
  mediaTypes,
} from "../catalogue/types.ts";
import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import { addProblem, type FieldProblems, formValue, throwIfProblems } from "../web/form.ts";
import { bilingual, idOf, optionalDateTime, text } from "./validate.ts";

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
function speakersOf(body: unknown, problems: FieldProblems): string[] {
  const speakers = formValue(body, "speakers")
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (speakers.length > 50 || speakers.some((s) => s.length > 200))
    addProblem(problems, "speakers", "editor.error.too_long");
  return speakers;
}

/** Language codes such as "en, fr, de": what is spoken in the recording. */
function languagesOf(body: unknown, problems: FieldProblems): string[] {
  const codes = formValue(body, "languages")
    .toLowerCase()
    .split(/[\s,;]+/)
    .filter(Boolean);
  if (codes.length > 10 || codes.some((c) => !/^[a-z]{2,3}$/.test(c))) {
    addProblem(problems, "languages", "editor.error.languages_invalid");
  }
  return [...new Set(codes)];
}

async function readItemForm(deps: ItemDeps, body: unknown): Promise<ItemInput> {
  const problems: FieldProblems = {};
  const rawEvent = formValue(body, "event_id");
  const eventId = rawEvent ? idOf(rawEvent) : null;
  if (rawEvent && (eventId === null || !(await findEvent(deps.db, eventId)))) {
    addProblem(problems, "event_id", "editor.error.event_invalid");
  }
  const kind = formValue(body, "kind");
  if (!(mediaKinds as readonly string[]).includes(kind))
    addProblem(problems, "kind", "editor.error.kind_invalid");
  const title = bilingual(body, "title", 300, problems);
  if (!title.en && !title.fr) addProblem(problems, "title_en", "editor.error.title_required");
  const input: ItemInput = {
    eventId,
    kind,
    title,
    description: bilingual(body, "description", 10_000, problems),
    shotList: bilingual(body, "shot_list", 20_000, problems),
    usageTerms: bilingual(body, "usage_terms", 5_000, problems),
    credit: text(body, "credit", 300, problems),
    speakers: speakersOf(body, problems),
    languages: languagesOf(body, problems),
    recordedAt: optionalDateTime(body, "recorded_at", deps.timeZone, problems),
    embargoUntil: optionalDateTime(body, "embargo_until", deps.timeZone, problems),
  };
  throwIfProblems(problems);
  return input;
}

/** An item made in the workspace, before its master is uploaded (or for a photo set's text). */
export async function createItemFromForm(deps: ItemDeps, body: unknown): Promise<number> {
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
  return createItem(deps.db, { ...input, mediaType: mediaType as MediaType, status: "uploaded" }, deps.now());
}

export async function editItem(deps: ItemDeps, id: number, body: unknown): Promise<void> {
  if (!(await findItem(deps.db, id))) throw new UserError("item_not_found");
  await updateItem(deps.db, id, await readItemForm(deps, body), deps.now());
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

import { findEventBySlug } from "../catalogue/event-store.ts";
import { createItem } from "../catalogue/item-store.ts";
import { type MediaStatus, type MediaType, mediaKinds } from "../catalogue/types.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import type { Queryable } from "../db/database.ts";

export type IngestDeps = Pick<
  FeatureDeps,
  "db" | "storage" | "jobs" | "now" | "log" | "config" | "warmClipHeaders"
>;

/** What an editor says about a new item; the file, when it comes, fills in the rest. */
export type ItemFields = {
  event: string;
  type?: MediaType;
  kind?: string;
  title?: { en?: string; fr?: string };
  description?: { en?: string; fr?: string };
  credit?: string;
  recordedAt?: Date | null;
};

export type ItemSummary = { id: number; status: MediaStatus; mediaType: MediaType; eventId: number };

/** Checks the event and kind, then inserts the item in `status`; what the fields leave out starts empty. */
export async function createItemFromFields(
  // A Queryable, so that `import DIR` can record the file in the same transaction.
  deps: { db: Queryable; now: () => Date },
  fields: ItemFields,
  mediaType: MediaType,
  status: MediaStatus,
): Promise<ItemSummary> {
  const eventId = (await findEventBySlug(deps.db, fields.event))?.id;
  if (eventId === undefined) throw new UserError("event_not_found");
  const kind = fields.kind ?? (mediaType === "photo" ? "photo-opportunity" : "b-roll");
  if (!(mediaKinds as readonly string[]).includes(kind)) {
    throw new UserError("invalid_input", { values: mediaKinds.join(", ") }, { kind: ["field.one_of"] });
  }
  const empty = { en: "", fr: "" };
  const id = await createItem(
    deps.db,
    {
      eventId,
      mediaType,
      kind,
      status,
      title: { en: fields.title?.en?.trim() ?? "", fr: fields.title?.fr?.trim() ?? "" },
      description: { en: fields.description?.en?.trim() ?? "", fr: fields.description?.fr?.trim() ?? "" },
      shotList: empty,
      usageTerms: empty,
      credit: fields.credit?.trim() ?? "",
      speakers: [],
      languages: [],
      recordedAt: fields.recordedAt ?? null,
      embargoUntil: null,
    },
    deps.now(),
  );
  return { id, status, mediaType, eventId };
}

/** Checks what createItemFromFields would, without inserting: a tus upload is refused before its first byte. */
export async function checkItemFields(deps: Pick<IngestDeps, "db">, fields: ItemFields): Promise<void> {
  if (!(await findEventBySlug(deps.db, fields.event))) throw new UserError("event_not_found");
  if (fields.kind !== undefined && !(mediaKinds as readonly string[]).includes(fields.kind)) {
    throw new UserError("invalid_input", { values: mediaKinds.join(", ") }, { kind: ["field.one_of"] });
  }
}

/** A name safe as the last part of a storage key and in a Content-Disposition header. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? "";
  const cleaned = base
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}._-]+/gu, "_")
    .replace(/^[._]+/, "");
  const ext = /\.[\p{L}\p{N}]{1,8}$/u.exec(cleaned)?.[0] ?? "";
  const stem = cleaned.slice(0, cleaned.length - ext.length).slice(0, 120);
  return `${stem || "master"}${ext}`;
}

import path from "node:path";
import { findEventBySlug, insertEvent, setEventPublished } from "../catalogue/event-store.ts";
import { completeItem, itemIdsByTitle } from "../catalogue/item-store.ts";
import { hasProgramme, insertProgrammeEntry } from "../catalogue/programme-store.ts";
import type { TranscriptSegment } from "../catalogue/types.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { acceptMaster } from "../ingest/accept.ts";
import type { ItemFields } from "../ingest/items.ts";
import type { DemoEvent, DemoItem, DemoTime } from "./content/types.ts";
import { demoEvents, organisation } from "./content.ts";
import { type DemoMedia, type GenerateOptions, generateDemoMedia } from "./generate.ts";
import type { TimedSentence } from "./speech.ts";

export type LoadDemoOptions = {
  /** Where generated media is kept between runs (DATA_DIR/demo-media by default). */
  mediaDir?: string;
  generate?: Omit<GenerateOptions, "events" | "log">;
  events?: DemoEvent[];
};

export type LoadDemoResult = {
  events: { slug: string; id: number; created: boolean }[];
  itemsCreated: number;
  media: DemoMedia;
};

/**
 * Puts the demo's events, programmes and media into the catalogue, published. Items go in
 * through ingest, as an editor's upload would, so they are probed and processed for real.
 * Running it again adds nothing: a published event with the demo's slug is left alone. An
 * unpublished one is a load that stopped halfway, so it is completed, then published.
 */
export function loadDemoContent(deps: FeatureDeps, options: LoadDemoOptions = {}): Promise<LoadDemoResult> {
  // One load at a time in a process: the portal's own at start and a `demo:live` handed to it
  // would otherwise both find the event missing and both insert it.
  const run = loading.then(() => load(deps, options));
  loading = run.catch(() => undefined);
  return run;
}

let loading: Promise<unknown> = Promise.resolve();

async function load(deps: FeatureDeps, options: LoadDemoOptions): Promise<LoadDemoResult> {
  const events = options.events ?? demoEvents;
  const mediaDir = options.mediaDir ?? path.join(deps.config.dataDir, "demo-media");
  const media = await generateDemoMedia(mediaDir, {
    tools: deps.config.ffmpeg,
    ...options.generate,
    events,
    log: deps.log,
  });
  const result: LoadDemoResult = { events: [], itemsCreated: 0, media };
  for (const event of events) {
    const existing = await findEventBySlug(deps.db, event.slug);
    if (existing?.publishedAt) {
      result.events.push({ slug: event.slug, id: existing.id, created: false });
      continue;
    }
    const { id, created } = await loadEvent(deps, event, media, existing?.id ?? null);
    result.events.push({ slug: event.slug, id, created: true });
    result.itemsCreated += created;
  }
  deps.log.info({ events: result.events, itemsCreated: result.itemsCreated }, "Demo content loaded");
  return result;
}

async function loadEvent(
  deps: FeatureDeps,
  event: DemoEvent,
  media: DemoMedia,
  existingId: number | null,
): Promise<{ id: number; created: number }> {
  const now = deps.now();
  const eventId =
    existingId ??
    (await insertEvent(
      deps.db,
      { ...event, startsAt: at(event.startsAt, now), endsAt: at(event.endsAt, now) },
      now,
    ));
  const made = await itemIdsByTitle(deps.db, eventId);
  const itemIds = new Map<string, number>();
  let created = 0;
  for (const [position, item] of event.items.entries()) {
    let itemId = made.get(item.title.en);
    if (itemId === undefined) {
      itemId = await ingest(deps, event.slug, item, media, now);
      created++;
    }
    itemIds.set(item.key, itemId);
    await completeItem(
      deps.db,
      itemId,
      {
        position,
        description: item.description,
        shotList: item.shotList,
        usageTerms: organisation.usageTerms,
        speakers: item.mediaType === "video" ? item.speakers : [],
        languages: item.mediaType === "video" ? item.languages : [],
      },
      now,
    );
  }
  if (!(await hasProgramme(deps.db, eventId))) {
    // Each entry goes last, so the empty programme fills in the demo's order.
    for (const entry of event.programme) {
      const startsAt = at({ dayOffset: event.startsAt.dayOffset, time: entry.time }, now);
      const mediaItemId = entry.itemKey ? (itemIds.get(entry.itemKey) ?? null) : null;
      await insertProgrammeEntry(deps.db, eventId, { startsAt, title: entry.title, mediaItemId });
    }
  }
  // Last, so an event is only published once everything in it is there.
  await setEventPublished(deps.db, eventId, true, now);
  return { id: eventId, created };
}

/**
 * A photo's caption and credit are left for ingest to read from the file's own metadata, as
 * from a photographer's upload; a video's are given, with its transcript.
 */
async function ingest(
  deps: FeatureDeps,
  slug: string,
  item: DemoItem,
  media: DemoMedia,
  now: Date,
): Promise<number> {
  const generated = item.mediaType === "video" ? media.videos[item.key] : media.photos[item.key];
  if (!generated) throw new Error(`demo media "${item.key}" was not generated`);
  const fields: ItemFields = {
    event: slug,
    type: item.mediaType,
    kind: item.kind,
    title: item.title,
    recordedAt: at(item.recordedAt, now),
    ...(item.mediaType === "video" ? { description: item.description, credit: organisation.credit } : {}),
  };
  const sentences = item.mediaType === "video" ? (media.videos[item.key]?.sentences ?? []) : [];
  const accepted = await acceptMaster(deps, {
    file: path.join(media.dir, generated.file),
    originalName: generated.file,
    target: { fields },
    ...(sentences.length > 0 ? { transcript: transcriptOf(sentences) } : {}),
  });
  return accepted.id;
}

function transcriptOf(sentences: TimedSentence[]): TranscriptSegment[] {
  return sentences.map((s, position) => ({
    position,
    startSeconds: s.start,
    endSeconds: s.end,
    speaker: s.speaker,
    questionerOutlet: s.outlet,
    isQuestion: s.isQuestion,
    lang: s.lang,
    text: s.text,
  }));
}

/** A demo time as an instant: that many days from today (UTC), at that time of day. */
export function at(time: DemoTime, now: Date): Date {
  const [hours, minutes] = time.time.split(":").map(Number) as [number, number];
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + time.dayOffset);
  return new Date(day + (hours * 60 + minutes) * 60_000);
}

import { startSession } from "../../src/accounts/sessions.ts";
import type { Role } from "../../src/accounts/store.ts";
import type { Queryable } from "../../src/db/database.ts";
import type { Storage } from "../../src/storage/storage.ts";
import { createAccount, SESSION_COOKIE } from "../helpers/accounts.ts";
import { PREVIEW_RATE, PREVIEW_SECONDS, putPreview } from "./preview-media.ts";

/**
 * Catalogue rows written straight with SQL, as the editor and ingest features would leave
 * them, so catalogue tests (and the big end-to-end test) need neither. Every field has a
 * plain default; pass only what a test is about.
 */

const T0 = new Date("2026-11-23T09:00:00Z");

export type EventInput = {
  slug?: string;
  startsAt?: Date;
  title?: { en?: string; fr?: string };
  summary?: { en?: string; fr?: string };
  body?: { en?: string; fr?: string };
  place?: { en?: string; fr?: string };
  publishedAt?: Date | null;
};

let counter = 0;

export async function createEvent(
  db: Queryable,
  input: EventInput = {},
): Promise<{ id: number; slug: string }> {
  counter += 1;
  const slug = input.slug ?? `event-${counter}-${Date.now().toString(36)}`;
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO events (slug, starts_at, title_en, title_fr, summary_en, summary_fr, body_en, body_fr,
       place_en, place_fr, published_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
    [
      slug,
      input.startsAt ?? T0,
      input.title?.en ?? "",
      input.title?.fr ?? "",
      input.summary?.en ?? "",
      input.summary?.fr ?? "",
      input.body?.en ?? "",
      input.body?.fr ?? "",
      input.place?.en ?? "",
      input.place?.fr ?? "",
      input.publishedAt === undefined ? new Date("2026-01-01T00:00:00Z") : input.publishedAt,
      T0,
    ],
  );
  return { id: row!.id, slug };
}

export type ItemInput = {
  eventId?: number | null;
  mediaType?: "video" | "audio" | "photo";
  kind?: string;
  position?: number;
  title?: { en?: string; fr?: string };
  description?: { en?: string; fr?: string };
  shotList?: { en?: string; fr?: string };
  usageTerms?: { en?: string; fr?: string };
  credit?: string;
  speakers?: string[];
  languages?: string[];
  recordedAt?: Date | null;
  embargoUntil?: Date | null;
  publishedAt?: Date | null;
  status?: "uploaded" | "processing" | "ready" | "failed";
  statusReason?: string | null;
  progress?: number;
  durationSeconds?: number | null;
};

export async function createItem(db: Queryable, input: ItemInput = {}): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO media_items (event_id, media_type, kind, position, title_en, title_fr, description_en,
       description_fr, shot_list_en, shot_list_fr, usage_terms_en, usage_terms_fr, credit, speakers, languages,
       recorded_at, embargo_until, published_at, status, status_reason, progress, duration_seconds,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
       $22, $23, $23) RETURNING id`,
    [
      input.eventId ?? null,
      input.mediaType ?? "video",
      input.kind ?? "press-conference",
      input.position ?? 0,
      input.title?.en ?? "",
      input.title?.fr ?? "",
      input.description?.en ?? "",
      input.description?.fr ?? "",
      input.shotList?.en ?? "",
      input.shotList?.fr ?? "",
      input.usageTerms?.en ?? "",
      input.usageTerms?.fr ?? "",
      input.credit ?? "",
      input.speakers ?? [],
      input.languages ?? [],
      input.recordedAt === undefined ? T0 : input.recordedAt,
      input.embargoUntil ?? null,
      input.publishedAt === undefined ? new Date("2026-01-01T00:00:00Z") : input.publishedAt,
      input.status ?? "ready",
      input.statusReason ?? null,
      input.progress ?? (input.status && input.status !== "ready" ? 0 : 100),
      input.durationSeconds === undefined ? PREVIEW_SECONDS : input.durationSeconds,
      T0,
    ],
  );
  return row!.id;
}

export async function addRendition(
  db: Queryable,
  itemId: number,
  kind: string,
  key: string,
  meta: object = {},
): Promise<void> {
  await db.query(
    `INSERT INTO renditions (media_item_id, kind, storage_key, meta, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)
     ON CONFLICT (media_item_id, kind) DO UPDATE SET storage_key = EXCLUDED.storage_key, meta = EXCLUDED.meta`,
    [itemId, kind, key, JSON.stringify(meta), T0],
  );
}

/** A master as ingest records it; the probe holds the parts of MasterInfo the catalogue reads. */
export async function addMaster(
  db: Queryable,
  itemId: number,
  options: {
    rate?: { num: number; den: number };
    startTimecode?: string | null;
    audioLabels?: string[];
  } = {},
): Promise<void> {
  const labels = options.audioLabels ?? ["floor"];
  const probe = {
    container: "mp4",
    video: { frameRate: options.rate ?? PREVIEW_RATE, width: 1920, height: 1080, codec: "h264" },
    audio: labels.map((_, i) => ({
      streamIndex: i + 1,
      codec: "aac",
      channels: 2,
      sampleRate: 48000,
      language: null,
    })),
    durationSeconds: PREVIEW_SECONDS,
    startTimecode: options.startTimecode === undefined ? "10:00:00:00" : options.startTimecode,
  };
  await db.query(
    `INSERT INTO masters (media_item_id, storage_key, original_name, bytes, probe, audio_labels, created_at)
     VALUES ($1, $2, 'master.mp4', 1000, $3, $4, $5)`,
    [
      itemId,
      `items/${itemId}/master/master.mp4`,
      JSON.stringify(probe),
      JSON.stringify(labels.map((label, index) => ({ index, label }))),
      T0,
    ],
  );
}

export type SegmentInput = {
  start: number | null;
  end: number | null;
  text: string;
  speaker?: string;
  lang?: "en" | "fr";
  question?: boolean;
  outlet?: string;
};

export async function addTranscript(db: Queryable, itemId: number, segments: SegmentInput[]): Promise<void> {
  for (const [position, s] of segments.entries()) {
    await db.query(
      `INSERT INTO transcript_segments (media_item_id, position, start_seconds, end_seconds, speaker,
         questioner_outlet, is_question, lang, text)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        itemId,
        position,
        s.start,
        s.end,
        s.speaker ?? "",
        s.outlet ?? "",
        s.question ?? false,
        s.lang ?? "en",
        s.text,
      ],
    );
  }
}

export async function addProgramme(
  db: Queryable,
  eventId: number,
  entries: { position: number; title: { en?: string; fr?: string }; startsAt?: Date; itemId?: number }[],
): Promise<void> {
  for (const e of entries) {
    await db.query(
      `INSERT INTO programme_items (event_id, position, starts_at, title_en, title_fr, media_item_id)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [eventId, e.position, e.startsAt ?? null, e.title.en ?? "", e.title.fr ?? "", e.itemId ?? null],
    );
  }
}

/** The press conference of the fixtures: a president's statement, then a journalist's question. */
export const pressConferenceTranscript: SegmentInput[] = [
  {
    start: 0,
    end: 2,
    speaker: "President Anna Berg",
    text: "Good morning and welcome to this press conference.",
  },
  { start: 2, end: 4, speaker: "President Anna Berg", text: "Today we agreed on a new climate package." },
  {
    start: 4,
    end: 6,
    speaker: "Marie Dubois",
    outlet: "Radio France",
    question: true,
    lang: "fr",
    text: "Que pensent les ministres des affaires étrangères de cet accord ?",
  },
  { start: 6, end: 8, speaker: "President Anna Berg", text: "They welcomed it unanimously." },
];

/**
 * A published event with a ready, playable press-conference video: a real HLS preview and
 * poster in storage, a master at 25 fps starting at 10:00:00:00 and a transcript with a Q&A turn.
 */
export async function publishedEventWithVideo(
  deps: { db: Queryable; storage: Storage },
  options: { slug?: string; title?: string } = {},
): Promise<{ eventId: number; slug: string; itemId: number }> {
  const event = await createEvent(deps.db, {
    slug: options.slug ?? `summit-${Date.now().toString(36)}`,
    title: { en: options.title ?? "Climate summit", fr: "Sommet sur le climat" },
    summary: { en: "Leaders meet on climate.", fr: "Les dirigeants se réunissent sur le climat." },
    place: { en: "Brussels", fr: "Bruxelles" },
  });
  const itemId = await createItem(deps.db, {
    eventId: event.id,
    title: { en: "Press conference by the President", fr: "Conférence de presse de la présidente" },
    description: { en: "The President answers questions on the climate package." },
    shotList: { en: "1. Wide shot of the press room\n2. The President at the podium" },
    usageTerms: { en: "Free for news use.", fr: "Libre pour l'information." },
    credit: "Pressroom",
    speakers: ["President Anna Berg", "Marie Dubois"],
    languages: ["en", "fr"],
  });
  const keys = await putPreview(deps.storage, itemId);
  await addRendition(deps.db, itemId, "hls", keys.hls, { firstFrameSeconds: keys.firstFrameSeconds });
  await addRendition(deps.db, itemId, "poster", keys.poster);
  await addMaster(deps.db, itemId);
  await addTranscript(deps.db, itemId, pressConferenceTranscript);
  return { eventId: event.id, slug: event.slug, itemId };
}

/** A verified account with `role`, and the Cookie header that logs it in. */
export async function sessionCookie(
  t: { db: Queryable; clock: { now(): Date }; deps: Parameters<typeof startSession>[0] },
  role: Role,
): Promise<string> {
  const now = t.clock.now();
  counter += 1;
  const email = `${role}-${counter}-${Date.now()}@example.test`;
  const id = await createAccount(t.db, now, { email, role, name: `Test ${role}` });
  return `${SESSION_COOKIE}=${await startSession(t.deps, id)}`;
}

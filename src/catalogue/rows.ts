import { dateOrNull, jsonColumn, numberOrNull, stringOrNull } from "../db/columns.ts";
import type { Row } from "../db/database.ts";
import type { PhotoInfo } from "../media/photo.ts";
import { type MasterInfo, parseRate } from "../media/probe.ts";
import type { Lang } from "../web/i18n.ts";
import type {
  AudioTrackLabel,
  EventRecord,
  Master,
  MediaItem,
  MediaStatus,
  MediaType,
  ProgrammeItem,
  StatusReason,
  TimedWord,
  TranscriptSegment,
} from "./types.ts";
import type { CardLive, EventSummary, MasterView } from "./view-models.ts";

/** `alias.a, alias.b, …`: a select list of the named columns of a table joined as `alias`. */
const prefixed = (alias: string, columns: readonly string[]) =>
  columns.map((c) => `${alias}.${c}`).join(", ");

/**
 * Rows to domain values. The column lists leave out the tsvector columns, which no page
 * needs and which would make every row several times larger.
 */
export const itemColumns = (m: string) =>
  prefixed(m, [
    "id",
    "event_id",
    "media_type",
    "kind",
    "position",
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "shot_list_en",
    "shot_list_fr",
    "usage_terms_en",
    "usage_terms_fr",
    "credit",
    "speakers",
    "languages",
    "recorded_at",
    "embargo_until",
    "published_at",
    "status",
    "status_reason",
    "status_reason_params",
    "progress",
    "duration_seconds",
  ]);

export const eventColumns = (e: string) =>
  prefixed(e, [
    "id",
    "slug",
    "starts_at",
    "ends_at",
    "place_en",
    "place_fr",
    "title_en",
    "title_fr",
    "summary_en",
    "summary_fr",
    "body_en",
    "body_fr",
    "published_at",
  ]);

/** The event's columns an item card needs, prefixed "event_" so they sit beside the item's. */
export const eventSummaryColumns = (e: string) =>
  `${e}.slug AS event_slug, ${e}.starts_at AS event_starts_at, ${e}.title_en AS event_title_en,
   ${e}.title_fr AS event_title_fr, ${e}.place_en AS event_place_en, ${e}.place_fr AS event_place_fr,
   ${e}.published_at AS event_published_at`;

const str = (v: unknown) => (typeof v === "string" ? v : "");
const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

export function toItem(r: Row): MediaItem {
  return {
    id: Number(r.id),
    eventId: numberOrNull(r.event_id),
    mediaType: r.media_type as MediaType,
    kind: str(r.kind),
    position: Number(r.position),
    title: { en: str(r.title_en), fr: str(r.title_fr) },
    description: { en: str(r.description_en), fr: str(r.description_fr) },
    shotList: { en: str(r.shot_list_en), fr: str(r.shot_list_fr) },
    usageTerms: { en: str(r.usage_terms_en), fr: str(r.usage_terms_fr) },
    credit: str(r.credit),
    speakers: strings(r.speakers),
    languages: strings(r.languages),
    recordedAt: dateOrNull(r.recorded_at),
    embargoUntil: dateOrNull(r.embargo_until),
    publishedAt: dateOrNull(r.published_at),
    status: r.status as MediaStatus,
    statusReason:
      r.status_reason === null
        ? null
        : {
            key: str(r.status_reason),
            params: jsonColumn<StatusReason["params"]>(r.status_reason_params, {}),
          },
    progress: Number(r.progress),
    durationSeconds: numberOrNull(r.duration_seconds),
  };
}

export function toEvent(r: Row): EventRecord {
  return {
    id: Number(r.id),
    slug: str(r.slug),
    startsAt: dateOrNull(r.starts_at)!,
    endsAt: dateOrNull(r.ends_at),
    place: { en: str(r.place_en), fr: str(r.place_fr) },
    title: { en: str(r.title_en), fr: str(r.title_fr) },
    summary: { en: str(r.summary_en), fr: str(r.summary_fr) },
    body: { en: str(r.body_en), fr: str(r.body_fr) },
    publishedAt: dateOrNull(r.published_at),
  };
}

export const programmeColumns = (p: string) =>
  prefixed(p, ["id", "event_id", "position", "starts_at", "title_en", "title_fr", "media_item_id"]);

export function toProgrammeItem(r: Row): ProgrammeItem {
  return {
    id: Number(r.id),
    eventId: Number(r.event_id),
    position: Number(r.position),
    startsAt: dateOrNull(r.starts_at),
    title: { en: str(r.title_en), fr: str(r.title_fr) },
    mediaItemId: numberOrNull(r.media_item_id),
  };
}

/** The event beside an item, from the columns of `eventSummaryColumns`; null for an item without event. */
export function toEventSummary(r: Row, now: Date): EventSummary | null {
  if (r.event_id === null || r.event_slug === null || r.event_slug === undefined) return null;
  const publishedAt = dateOrNull(r.event_published_at);
  return {
    id: Number(r.event_id),
    slug: str(r.event_slug),
    startsAt: dateOrNull(r.event_starts_at)!,
    title: { en: str(r.event_title_en), fr: str(r.event_title_fr) },
    place: { en: str(r.event_place_en), fr: str(r.event_place_fr) },
    published: publishedAt !== null && publishedAt <= now,
  };
}

export function toSegment(r: Row): TranscriptSegment {
  return {
    position: Number(r.position),
    startSeconds: numberOrNull(r.start_seconds),
    endSeconds: numberOrNull(r.end_seconds),
    speaker: str(r.speaker),
    questionerOutlet: str(r.questioner_outlet),
    isQuestion: r.is_question === true,
    lang: r.lang as Lang,
    text: str(r.text),
    spokenLang: r.spoken_lang === "en" || r.spoken_lang === "fr" ? r.spoken_lang : null,
    words: jsonColumn<TimedWord[] | null>(r.words, null),
    timing: r.timing === "aligned" || r.timing === "unsure" || r.timing === "unspoken" ? r.timing : null,
    confidence: numberOrNull(r.confidence),
  };
}

export const masterColumns = (m: string) =>
  prefixed(m, ["storage_key", "original_name", "bytes", "probe", "keyframe_index_key", "audio_labels"]);

/** A master from the columns of `masterColumns`; `probe` is JSON, so a photo's `takenAt` stays a string. */
export function toMaster(r: Row): Master {
  const probe = (r.probe ?? null) as MasterInfo | PhotoInfo | null;
  return {
    storageKey: str(r.storage_key),
    originalName: str(r.original_name),
    bytes: Number(r.bytes),
    probe,
    keyframeIndexKey: r.keyframe_index_key === null ? null : str(r.keyframe_index_key),
    audio: probe && "audio" in probe ? probe.audio : [],
    audioLabels: Array.isArray(r.audio_labels) ? (r.audio_labels as AudioTrackLabel[]) : [],
  };
}

type Probe = {
  video?: { frameRate?: { num?: number; den?: number } };
  startTimecode?: string | null;
  audio?: { streamIndex?: number; channels?: number; language?: string | null }[];
};

/** The master's probe (media module's MasterInfo, stored as JSON) and the editors' audio labels. */
export function toMasterView(probe: unknown, audioLabels: unknown): MasterView {
  const p = (probe ?? {}) as Probe;
  const rate = p.video?.frameRate;
  const labels = Array.isArray(audioLabels) ? (audioLabels as { index?: number; label?: string }[]) : [];
  return {
    frameRate: rate?.num && rate.den ? { num: rate.num, den: rate.den } : null,
    startTimecode: typeof p.startTimecode === "string" ? p.startTimecode : null,
    audioTracks: (p.audio ?? []).map((track, index) => ({
      index,
      label: labels.find((l) => l.index === index)?.label ?? "",
      channels: Number(track.channels ?? 0),
      language: track.language ?? null,
    })),
  };
}

/** A live item's columns for its card (issue 12), from `live_streams` joined as `alias`. */
export const liveColumns = (alias: string) =>
  `${alias}.state AS live_state, ${alias}.scheduled_at AS live_scheduled_at,
   ${alias}.start_timecode AS live_start_timecode, ${alias}.frame_rate AS live_frame_rate`;

/** Null for an item that is not live (no live_streams row). */
export function toLive(row: Row): CardLive | null {
  if (row.live_state === null || row.live_state === undefined) return null;
  return {
    state: row.live_state as CardLive["state"],
    scheduledAt: dateOrNull(row.live_scheduled_at),
    startTimecode: stringOrNull(row.live_start_timecode),
    frameRate: parseRate(row.live_frame_rate === null ? undefined : String(row.live_frame_rate)),
  };
}

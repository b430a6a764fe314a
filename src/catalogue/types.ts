import type { PhotoInfo } from "../media/photo.ts";
import type { AudioTrack, MasterInfo } from "../media/probe.ts";
import type { Lang } from "../web/i18n.ts";

/** The catalogue's domain, as the rest of the code sees it (rows are mapped in the stores). */

export type Localized = { en: string; fr: string };

export type EventRecord = {
  id: number;
  slug: string;
  startsAt: Date;
  endsAt: Date | null;
  place: Localized;
  title: Localized;
  summary: Localized;
  body: Localized;
  publishedAt: Date | null;
};

export type ProgrammeItem = {
  id: number;
  eventId: number;
  position: number;
  startsAt: Date | null;
  title: Localized;
  mediaItemId: number | null;
};

export const mediaTypes = ["video", "audio", "photo"] as const;
export type MediaType = (typeof mediaTypes)[number];

export const mediaKinds = [
  "press-conference",
  "speech",
  "statement",
  "doorstep",
  "interview",
  "b-roll",
  "photo-opportunity",
  "meeting",
] as const;
export type MediaKind = (typeof mediaKinds)[number];

export type MediaStatus = "uploaded" | "processing" | "ready" | "failed";

/** An item's status as the API and the workspace say it: `shownStatus`. */
export type ShownStatus = MediaStatus | "awaiting_upload";

/**
 * A stored `uploaded` is where an item starts, before its file: ingest stores a master and moves
 * the item on to `processing` in one call (accept.ts). Said "uploaded", an item made through the
 * API without a file read as if one had come (found by hand): it is `awaiting_upload`, unless a
 * master is known to be there (`hasMaster`; an import cut off between the two) or it is a live,
 * whose video comes from its recording and whose `live` state says where that stands.
 */
export function shownStatus(item: { status: MediaStatus; live?: unknown }, hasMaster = false): ShownStatus {
  return item.status !== "uploaded" || hasMaster || item.live != null ? item.status : "awaiting_upload";
}

/** Why an item's processing failed, as a message to say in the reader's language (status-reason.ts). */
export type StatusReason = { key: string; params: Record<string, string | number> };

export type MediaItem = {
  id: number;
  eventId: number | null;
  mediaType: MediaType;
  kind: string;
  position: number;
  title: Localized;
  description: Localized;
  shotList: Localized;
  usageTerms: Localized;
  credit: string;
  speakers: string[];
  languages: string[];
  recordedAt: Date | null;
  embargoUntil: Date | null;
  publishedAt: Date | null;
  status: MediaStatus;
  /** Why processing failed: a message key and its parameters (status-reason.ts), or an older row's English sentence as the key. */
  statusReason: StatusReason | null;
  progress: number;
  durationSeconds: number | null;
};

/** What editors say an audio track of a master carries. */
export const audioLabels = ["floor", "en", "fr", "other"] as const;
export type AudioLabel = (typeof audioLabels)[number];

/** `index` is the track's place among the master's audio tracks (0 = first audio track). */
export type AudioTrackLabel = { index: number; label: AudioLabel };

/** An item's original file as uploaded, and what ingest learnt of it. */
export type Master = {
  storageKey: string;
  originalName: string;
  bytes: number;
  /** What ingest read from the file: the media module's MasterInfo, or PhotoInfo for a photo. */
  probe: MasterInfo | PhotoInfo | null;
  /** The keyframe index in storage, written by the first processing step. */
  keyframeIndexKey: string | null;
  /** The probe's audio tracks (none for a photo). */
  audio: AudioTrack[];
  audioLabels: AudioTrackLabel[];
};

export type TranscriptSegment = {
  position: number;
  startSeconds: number | null;
  endSeconds: number | null;
  speaker: string;
  /** For a question in a Q&A: the journalist's outlet (the speaker is the journalist). */
  questionerOutlet: string;
  isQuestion: boolean;
  lang: Lang;
  text: string;
  /**
   * The language the sentence is said in, when it is not the transcript's (`lang`): an English
   * paragraph of a bilingual event's French text. Null or absent: said in `lang`.
   */
  spokenLang?: Lang | null;
  /** Each word's times, when the sentence was timed automatically (issue 11). */
  words?: TimedWord[] | null;
  /** How the aligner placed it: null when timed by hand or from subtitles. */
  timing?: SegmentTiming | null;
  /** 0…1, the aligner's confidence; null when not aligned. */
  confidence?: number | null;
};

export type TimedWord = { text: string; start: number; end: number };
/** "unsure" and "unspoken" sentences are flagged for an editor's review. */
export type SegmentTiming = "aligned" | "unsure" | "unspoken";

/** The language a sentence is said in: its own where a bilingual speech switches, else its transcript's. */
export function spokenLanguage(segment: Pick<TranscriptSegment, "lang" | "spokenLang">): Lang {
  return segment.spokenLang ?? segment.lang;
}

/** The text in `lang`, or in the other language when the editors wrote only that one. */
export function localized(value: Localized, lang: Lang): { text: string; lang: Lang } {
  const other: Lang = lang === "en" ? "fr" : "en";
  return value[lang] ? { text: value[lang], lang } : { text: value[other], lang: other };
}

/** Published, and past its embargo: what media users may see play and download. */
export function isAvailable(item: Pick<MediaItem, "publishedAt" | "embargoUntil">, now: Date): boolean {
  return (
    item.publishedAt !== null &&
    item.publishedAt <= now &&
    (item.embargoUntil === null || item.embargoUntil <= now)
  );
}

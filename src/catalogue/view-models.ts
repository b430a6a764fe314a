import type { Rational } from "../media/timecode.ts";
import type { LiveState } from "./live-store.ts";
import type { EventRecord, MediaItem, ProgrammeItem, TranscriptSegment } from "./types.ts";

/**
 * What the catalogue's pages, feeds and API show, assembled from a few queries each: an item
 * with the bits of its event, master and renditions that a listing or the player needs.
 */

/** The event an item belongs to, as much as an item card or the item page needs. */
export type EventSummary = Pick<EventRecord, "id" | "slug" | "startsAt" | "title" | "place"> & {
  /** Unpublished events are not linked to from public pages. */
  published: boolean;
};

/** Storage keys of an item's derived files, by rendition kind ('hls', 'poster', 'storyboard', ...). */
export type Renditions = Record<string, string>;

/**
 * A live item's state as its card and page show it (issue 12), from the same query as the card;
 * null for every other item. The recording's clock drives the player's timecode while it is live.
 */
export type CardLive = {
  state: LiveState;
  scheduledAt: Date | null;
  startTimecode: string | null;
  frameRate: Rational | null;
};

export type ItemCard = MediaItem & {
  event: EventSummary | null;
  renditions: Renditions;
  live: CardLive | null;
};

export type AudioTrackView = { index: number; label: string; channels: number; language: string | null };

/** From the master's probe: what the player needs to show broadcast timecode. */
export type MasterView = {
  frameRate: Rational | null;
  startTimecode: string | null;
  audioTracks: AudioTrackView[];
};

/**
 * Seconds at which each preview rendition's first picture sits on its own clock, by kind ("hls",
 * "mp4"), as ingest measured them: the player counts frames from there. Missing: 0.
 */
export type PreviewTiming = Partial<Record<string, number>>;

export type ItemDetail = ItemCard & {
  master: MasterView | null;
  previewTiming: PreviewTiming;
  transcript: TranscriptSegment[];
};

export type ProgrammeEntry = ProgrammeItem & {
  /** The recorded item, when it is visible to the viewer. */
  item: Pick<MediaItem, "id" | "title" | "kind" | "durationSeconds"> | null;
};

export type EventDetail = EventRecord & {
  programme: ProgrammeEntry[];
  items: ItemCard[];
};

/** Who is looking, and when: decides what is visible and what may play. */
export type Viewer = { editor: boolean; now: Date };

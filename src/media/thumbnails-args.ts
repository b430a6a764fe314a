import type { MasterInfo, VideoInfo } from "./probe.ts";
import { writeSubtitles } from "./subtitles.ts";

/** Thumbnails for scrubbing, packed into sheets (one image request per 100 thumbnails). */
export interface StoryboardSpec {
  intervalSeconds: number;
  count: number;
  width: number;
  height: number;
  columns: number;
  rows: number;
}

export interface PosterSpec {
  /** Frame number (presentation order, from 0) shown on the poster. */
  frame: number;
  width: number;
  height: number;
}

const THUMB_WIDTH = 160;
const GRID = 10;
// Enough thumbnails for a smooth scrub bar, few enough to keep an hour's storyboard to 2 sheets.
const MAX_THUMBS = 200;
const POSTER_WIDTH = 1280;

export function storyboardSpec(info: Pick<MasterInfo, "durationSeconds" | "video">): StoryboardSpec {
  const intervalSeconds = Math.max(1, Math.ceil(info.durationSeconds / MAX_THUMBS));
  const width = THUMB_WIDTH;
  return {
    intervalSeconds,
    count: Math.max(1, Math.ceil(info.durationSeconds / intervalSeconds)),
    width,
    height: even(width / displayAspect(info.video)),
    columns: GRID,
    rows: GRID,
  };
}

/** A tenth of the way in: past the empty podium and the countdown slate, before anyone leaves. */
export function posterSpec(info: Pick<MasterInfo, "frameCount" | "video">): PosterSpec {
  const aspect = displayAspect(info.video);
  const width = Math.min(POSTER_WIDTH, even(info.video.height * aspect));
  return { frame: Math.floor(info.frameCount / 10), width, height: even(width / aspect) };
}

/** Filter chains fed from one decoded picture (labels are the caller's). */
export function storyboardFilter(spec: StoryboardSpec, from: string, to: string): string {
  return `${from}fps=1/${spec.intervalSeconds},scale=${spec.width}:${spec.height},setsar=1,tile=${spec.columns}x${spec.rows}${to}`;
}

export function posterFilter(spec: PosterSpec, from: string, to: string): string {
  return `${from}select=eq(n\\,${spec.frame}),scale=${spec.width}:${spec.height},setsar=1${to}`;
}

export function sheetName(sheet: number): string {
  return `sheet_${String(sheet).padStart(3, "0")}.jpg`;
}

/** The WebVTT index players use for scrubbing previews: each cue points at a tile (`#xywh`). */
export function storyboardVtt(spec: StoryboardSpec, durationSeconds: number, sheetUrl = sheetName): string {
  const perSheet = spec.columns * spec.rows;
  const cues = Array.from({ length: spec.count }, (_, i) => {
    const tile = i % perSheet;
    const x = (tile % spec.columns) * spec.width;
    const y = Math.floor(tile / spec.columns) * spec.height;
    return {
      start: i * spec.intervalSeconds,
      end: Math.min((i + 1) * spec.intervalSeconds, durationSeconds),
      text: `${sheetUrl(Math.floor(i / perSheet))}#xywh=${x},${y},${spec.width},${spec.height}`,
    };
  });
  return writeSubtitles(cues, "vtt");
}

export function displayAspect(video: Pick<VideoInfo, "width" | "height" | "sampleAspectRatio">): number {
  const [num, den] = (video.sampleAspectRatio ?? "1:1").split(":").map(Number);
  const sar = num && den ? num / den : 1;
  return (video.width * sar) / video.height;
}

function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}

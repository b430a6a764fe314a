import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { type RunOptions, runFfmpeg, runFfprobeJson } from "./ffmpeg.ts";
import { type HlsVariant, hlsLadder } from "./hls-args.ts";
import { previewArgs } from "./preview-args.ts";
import type { MasterInfo } from "./probe.ts";
import { posterSpec, type StoryboardSpec, storyboardSpec, storyboardVtt } from "./thumbnails-args.ts";

export type { HlsVariant } from "./hls-args.ts";

/** Which previews a run writes, each into its own (empty) folder. */
export interface PreviewTargets {
  /** master.m3u8 and one folder per rung. */
  hlsDir?: string;
  /** sheet_000.jpg... and storyboard.vtt. */
  storyboardDir?: string;
  /** A JPEG file path. */
  posterFile?: string;
  /**
   * A progressive MP4 of one rung, for players without HLS (no JavaScript): the rung's own
   * segments re-wrapped, so it costs no encode and shows the same frames. Needs `hlsDir`.
   */
  mp4File?: string;
}

/**
 * Where a rendition's first picture sits on its own clock. Encoders with B-frames start the
 * pictures a frame or two after zero (x264: two at 25 fps) and players keep those timestamps,
 * so a player counts the master's frame n at firstFrameSeconds + n / rate, never at n / rate.
 */
export interface PreviewTiming {
  firstFrameSeconds: number;
}

export interface PreviewResult {
  hls?: { masterPlaylist: string; variants: HlsVariant[] } & PreviewTiming;
  mp4?: { variant: HlsVariant } & PreviewTiming;
  storyboard?: { vtt: string; sheets: string[]; spec: StoryboardSpec };
  poster?: { width: number; height: number };
}

export interface PreviewOptions extends Omit<RunOptions, "onProgress"> {
  /** Share of the master decoded so far, 0 to 1 (counted on the HLS output when there is one). */
  onProgress?: (fraction: number) => void;
}

/**
 * The browser preview (fMP4 HLS ladder, at most 1080p), the scrubbing storyboard and the poster,
 * all from one decode of the master.
 */
export async function makePreview(
  masterPath: string,
  info: MasterInfo,
  targets: PreviewTargets,
  options: PreviewOptions = {},
): Promise<PreviewResult> {
  const ladder = hlsLadder(info.video);
  const sbSpec = storyboardSpec(info);
  const pSpec = posterSpec(info);
  if (targets.hlsDir) {
    // ffmpeg's HLS muxer does not create the variant folders itself.
    for (const variant of ladder) await mkdir(path.join(targets.hlsDir, variant.name), { recursive: true });
  }
  if (targets.storyboardDir) await mkdir(targets.storyboardDir, { recursive: true });
  if (targets.posterFile) await mkdir(path.dirname(targets.posterFile), { recursive: true });
  const args = previewArgs(masterPath, info, {
    ...(targets.hlsDir ? { hls: { ladder, outDir: targets.hlsDir } } : {}),
    ...(targets.storyboardDir ? { storyboard: { spec: sbSpec, outDir: targets.storyboardDir } } : {}),
    ...(targets.posterFile ? { poster: { spec: pSpec, file: targets.posterFile } } : {}),
  });
  const { onProgress, ...run } = options;
  const total = targets.hlsDir ? info.frameCount : Number.POSITIVE_INFINITY;
  await runFfmpeg(args, {
    ...run,
    ...(onProgress ? { onProgress: (frames: number) => onProgress(Math.min(1, frames / total)) } : {}),
  });
  const result: PreviewResult = {};
  if (targets.hlsDir) {
    const firstFrameSeconds = await firstFrameTime(
      path.join(targets.hlsDir, ladder[0]!.name, "index.m3u8"),
      run,
    );
    result.hls = { masterPlaylist: "master.m3u8", variants: ladder, firstFrameSeconds };
    if (targets.mp4File) {
      const variant = mp4Rung(ladder);
      const playlist = path.join(targets.hlsDir, variant.name, "index.m3u8");
      // +faststart: the index first, so a browser starts playing before the whole file arrives.
      await runFfmpeg(["-i", playlist, "-c", "copy", "-movflags", "+faststart", targets.mp4File], run);
      result.mp4 = { variant, firstFrameSeconds: await firstFrameTime(targets.mp4File, run) };
    }
  }
  if (targets.posterFile) result.poster = { width: pSpec.width, height: pSpec.height };
  if (targets.storyboardDir) {
    const sheets = (await readdir(targets.storyboardDir)).filter((f) => f.startsWith("sheet_")).sort();
    await writeFile(
      path.join(targets.storyboardDir, "storyboard.vtt"),
      storyboardVtt(sbSpec, info.durationSeconds),
    );
    result.storyboard = { vtt: "storyboard.vtt", sheets, spec: sbSpec };
  }
  return result;
}

/** The rung a single-file preview uses: the largest up to 720p, light enough to stream anywhere. */
export function mp4Rung(ladder: HlsVariant[]): HlsVariant {
  return ladder.find((v) => v.height <= 720) ?? ladder.at(-1)!;
}

/** The first video picture's presentation time, as players will see it. */
export async function firstFrameTime(
  file: string,
  run: Omit<RunOptions, "onProgress"> = {},
): Promise<number> {
  const probed = (await runFfprobeJson(
    ["-select_streams", "v:0", "-show_entries", "stream=start_time", file],
    run,
  )) as { streams?: { start_time?: string }[] };
  const start = Number(probed.streams?.[0]?.start_time);
  return Number.isFinite(start) ? start : 0;
}

import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runFfmpeg } from "../../src/media/ffmpeg.ts";
import { firstFrameTime } from "../../src/media/hls.ts";
import type { Storage } from "../../src/storage/storage.ts";

/**
 * A real, short HLS preview (fMP4 segments, H.264 + AAC, 25 fps, 2-second segments) and a
 * poster, made once with ffmpeg and cached in .test-data, then copied into storage where the
 * ingest pipeline would have written them: items/{id}/hls/ and items/{id}/poster.jpg.
 */
const CACHE = fileURLToPath(new URL("../../.test-data/media-cache/", import.meta.url));
const RECIPE = "catalogue-hls-v1";
export const PREVIEW_SECONDS = 8;
export const PREVIEW_RATE = { num: 25, den: 1 };

async function previewFolder(): Promise<string> {
  const folder = join(CACHE, RECIPE);
  if (existsSync(join(folder, "master.m3u8"))) return folder;
  const temporary = join(CACHE, `.${randomUUID()}`);
  await mkdir(temporary, { recursive: true });
  try {
    await runFfmpeg([
      ...["-f", "lavfi", "-i", `testsrc2=size=320x180:rate=25:duration=${PREVIEW_SECONDS}`],
      ...["-f", "lavfi", "-i", `sine=frequency=1000:duration=${PREVIEW_SECONDS}`],
      ...["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-profile:v", "main"],
      ...["-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "64k"],
      ...["-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4"],
      ...["-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", join(temporary, "seg_%03d.m4s")],
      ...["-master_pl_name", "master.m3u8", join(temporary, "stream.m3u8")],
    ]);
    await runFfmpeg([
      ...[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=25",
        "-frames:v",
        "1",
        join(temporary, "poster.jpg"),
      ],
    ]);
    await mkdir(CACHE, { recursive: true });
    await rename(temporary, folder).catch(async (error) => {
      // Another test file made it meanwhile: theirs is as good.
      if (!existsSync(join(folder, "master.m3u8"))) throw error;
    });
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
  return folder;
}

/**
 * Puts the preview into storage for item `id`; returns the rendition keys, and where its first
 * picture sits on its clock, as ingest records it (x264's B-frames put it after zero).
 */
export async function putPreview(
  storage: Storage,
  id: number,
): Promise<{ hls: string; poster: string; firstFrameSeconds: number }> {
  const folder = await previewFolder();
  for (const file of await readdir(folder)) {
    if (file === "poster.jpg") continue;
    await storage.putFile(`items/${id}/hls/${file}`, join(folder, file));
  }
  await storage.putFile(`items/${id}/poster.jpg`, join(folder, "poster.jpg"));
  return {
    hls: `items/${id}/hls/master.m3u8`,
    poster: `items/${id}/poster.jpg`,
    firstFrameSeconds: await firstFrameTime(join(folder, "stream.m3u8")),
  };
}

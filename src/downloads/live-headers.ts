import { mkdir } from "node:fs/promises";
import path from "node:path";
import { findLiveStream, livePieces } from "../catalogue/live-store.ts";
import type { FeatureDeps } from "../core/deps.ts";
import type { JobRun } from "../db/jobs.ts";
import { createLiveClips } from "./live-clip.ts";

/**
 * The "live.headers" job, queued by the receiver when a connection's first piece is stored: makes
 * the clip headers of that connection's stream (live-clip.ts `warmHeaders`), so its first clip
 * starts as soon as later ones do. Without it the first clip's first byte waited for its first
 * cut fragment (seconds at 1080p). Safe to run twice: the headers are the same.
 */
export function liveHeadersJob(deps: Pick<FeatureDeps, "db" | "storage" | "config" | "log">) {
  const live = createLiveClips(deps);
  // The clip maker's folder for this process, which it empties when a dead process left one.
  const workDir = path.join(deps.config.dataDir, "work", "clips", String(process.pid));
  // The id is "{item}-{connection}" (ingest/live/receiver.ts).
  return async (id: string, run: JobRun): Promise<void> => {
    const [itemId, connection] = id.split("-").map(Number) as [number, number];
    const stream = await findLiveStream(deps.db, itemId);
    const head = (await livePieces(deps.db, itemId)).find((p) => p.connection === connection);
    if (!stream || !head) return;
    run.signal.throwIfAborted();
    await mkdir(workDir, { recursive: true });
    const clock = { timecode: stream.startTimecode ?? "00:00:00:00", frameRate: stream.frameRate };
    await live.warmHeaders(itemId, head, clock, workDir);
  };
}

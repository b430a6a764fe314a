import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { findItem, setItemStatus } from "../../catalogue/item-store.ts";
import { findLiveStream, type LivePiece, livePieces } from "../../catalogue/live-store.ts";
import { findMaster } from "../../catalogue/media-store.ts";
import { statusReason } from "../../catalogue/status-reason.ts";
import type { JobRun } from "../../db/jobs.ts";
import { type JoinPiece, joinPieces } from "../../media/live/join.ts";
import { probePiece } from "../../media/live/piece-probe.ts";
import { acceptMaster } from "../accept.ts";
import { removedMeanwhile } from "../deleted-meanwhile.ts";
import type { IngestDeps } from "../items.ts";
import { recordingTimecode } from "./receiver.ts";

/**
 * The "live.finish" job: once a live has ended, its pieces joined (no re-encoding) become the
 * item's master, with the time of day its first frame arrived as timecode; then the usual
 * processing makes the preview ladder, poster and the rest. Until that is done the item plays and
 * clips from its pieces. Safe to run again: a master already made is not made twice.
 */
export function liveFinishJob(deps: IngestDeps) {
  return async (id: string, run: JobRun): Promise<void> => {
    await finishLive(deps, Number(id), run.signal);
  };
}

// The receiving process stores its last piece within a second or two of the end; one that has
// not been heard of for this long has died, and what it stored is all there is.
const RECEIVER_SILENT_MS = 5000;
const WAIT_STEP_MS = 250;

export async function finishLive(deps: IngestDeps, itemId: number, signal?: AbortSignal): Promise<void> {
  const item = await findItem(deps.db, itemId);
  if (!item || (await findMaster(deps.db, itemId))) return;
  await untilStored(deps, itemId, signal);
  const stream = await findLiveStream(deps.db, itemId);
  const pieces = await livePieces(deps.db, itemId);
  if (!stream || pieces.length === 0) {
    await setItemStatus(deps.db, itemId, "failed", statusReason("ingest.reason.live_no_video"), deps.now());
    return;
  }
  const work = path.join(deps.config.dataDir, "tmp", "ingest", `${itemId}-live-${randomUUID()}`);
  await mkdir(work, { recursive: true });
  try {
    const local = await fetchPieces(deps, pieces);
    const master = path.join(work, "recording.mp4");
    await joinPieces(local, master, {
      tools: deps.config.ffmpeg,
      frameRate: stream.frameRate,
      // Set by the receiver from the first piece before any piece is listed; read again only if not.
      timecode:
        stream.startTimecode ??
        (await firstPieceTimecode(deps, local[0]!.file, stream.startedAt ?? pieces[0]!.receivedAt, signal)),
      ...(signal ? { signal } : {}),
    });
    await acceptMaster(deps, { file: master, originalName: `live-${itemId}.mp4`, target: { itemId } });
  } catch (error) {
    // Deleted while its master was being made: nothing to retry (its files go below).
    if (!(await findItem(deps.db, itemId))) return;
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
    await removedMeanwhile(deps, itemId);
  }
}

async function untilStored(deps: IngestDeps, itemId: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    const stream = await findLiveStream(deps.db, itemId);
    const heard = stream?.receivingAt?.getTime();
    // Wall-clock time: this is about a process being alive, not the portal's (test-moved) clock.
    if (heard === undefined || Date.now() - heard > RECEIVER_SILENT_MS) return;
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

/** The pieces as files ffmpeg opens: themselves in a local folder, copies from S3. */
async function fetchPieces(deps: IngestDeps, pieces: LivePiece[]): Promise<JoinPiece[]> {
  const local: JoinPiece[] = [];
  for (const piece of pieces) {
    const file = await deps.storage.localPath(piece.storageKey, deps.config.mastersCacheDir);
    // The connection too: its pieces are joined byte for byte (media/live/join.ts).
    local.push({ file, durationSeconds: piece.durationSeconds, connection: piece.connection });
  }
  return local;
}

async function firstPieceTimecode(
  deps: IngestDeps,
  file: string,
  startedAt: Date,
  signal?: AbortSignal,
): Promise<string> {
  const first = await probePiece(file, { tools: deps.config.ffmpeg, ...(signal ? { signal } : {}) });
  if (!first.video) throw new Error(`${file}: the live's first piece has no picture`);
  return recordingTimecode(first, first.video.frameRate, startedAt);
}

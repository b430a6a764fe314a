import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import {
  addLiveGap,
  addLivePiece,
  findLiveStream,
  liveStreamByKey,
  markLive,
  nextConnection,
  openLiveStreams,
  receivedSeconds,
  setLiveClock,
  setLiveHealth,
  setLiveProblem,
  setReceiving,
  silentLiveStreams,
} from "../../catalogue/live-store.ts";
import { livePrefix } from "../../catalogue/storage-keys.ts";
import { type PieceStreams, probePiece } from "../../media/live/piece-probe.ts";
import { type Recorder, type RecorderInput, startRecorder } from "../../media/live/recorder.ts";
import { type Rational, timeOfDayTimecode } from "../../media/timecode.ts";
import type { IngestDeps } from "../items.ts";
import { type AcceptPublish, startRtmpServer } from "./rtmp-server.ts";
import { endLive } from "./streams.ts";

/**
 * Takes the venue encoders' streams: one SRT listener per open live item (on its port, with its
 * key as passphrase) and the RTMP listener for all of them. Each connection is recorded into
 * pieces stored as they complete (live_pieces); a sender that reconnects continues the same
 * recording, with the gap noted. Runs in the portal's process (`npm start`).
 */

export type LiveReceiver = {
  /** The RTMP port listened on (the configured one, or the one given for port 0 in tests). */
  rtmpPort: number | null;
  /** Looks at the open lives now rather than at the next tick (a live just made or ended). */
  sync(): Promise<void>;
  close(): Promise<void>;
};

type Connection = {
  itemId: number;
  protocol: "srt" | "rtmp";
  recorder: Recorder;
  /** The SRT passphrase it listens with: a renewed key restarts an idle listener. */
  key: string;
  receiving: boolean;
  done: Promise<void>;
};

// Codecs the cutter takes frame-exactly from a stream copy (docs/CLIPS.md).
const VIDEO_CODECS = new Set(["h264"]);
const SYNC_MS = 1000;
const HEARTBEAT_MS = 1000;

/** The recording's timecode on its first frame: the stream's own, or the time of day it arrived. */
export function recordingTimecode(
  streams: Pick<PieceStreams, "timecode">,
  frameRate: Rational,
  startedAt: Date,
): string {
  return streams.timecode ?? timeOfDayTimecode(startedAt, frameRate);
}

export async function startLiveReceiver(deps: IngestDeps): Promise<LiveReceiver> {
  const { config, db, log } = deps;
  const work = path.join(config.dataDir, "tmp", "live");
  // Cleared below once this process is known to be the receiving one (a sibling portal on the
  // same machine must not delete the recording in progress); connections wait for it.
  let workCleared = () => {};
  const workReady = new Promise<void>((resolve) => {
    workCleared = resolve;
  });
  const connections = new Set<Connection>();
  let closed = false;

  const receivingFor = (itemId: number) => [...connections].some((c) => c.itemId === itemId && c.receiving);

  async function record(
    itemId: number,
    protocol: "srt" | "rtmp",
    key: string,
    input: RecorderInput,
  ): Promise<void> {
    const dir = path.join(work, `${itemId}-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    // This connection's number, given when its first frame arrives (pieces wait for it).
    let numbered: Promise<number> | null = null;
    let pieces = 0;
    let lastBeat = 0;
    let checked = false;
    const connection = { itemId, protocol, key, receiving: false } as Connection;
    connection.recorder = startRecorder(input, dir, config.ffmpeg, {
      onFirstFrame() {
        if (receivingFor(itemId)) {
          // One sender per key: a second one is let go, the first goes on.
          log.warn({ itemId, protocol }, "a second sender on a live key was refused");
          connection.recorder.stop();
          return;
        }
        connection.receiving = true;
        numbered = started(itemId);
        // A failure reaches the first piece, which awaits it; not an unhandled rejection before then.
        numbered.catch(() => undefined);
      },
      async onPiece(piece) {
        if (!connection.receiving) return;
        if (!checked) {
          checked = true;
          const problem = await codecProblem(itemId, piece.file);
          if (problem) {
            await setLiveProblem(db, itemId, problem);
            connection.recorder.stop();
            return;
          }
        }
        const connectionNumber = await numbered!;
        const key = `${livePrefix(itemId)}${connectionNumber}-${String(pieces).padStart(6, "0")}.ts`;
        pieces += 1;
        await deps.storage.putFile(key, piece.file, { contentType: "video/mp2t", move: true });
        await addLivePiece(db, itemId, {
          connection: connectionNumber,
          durationSeconds: piece.durationSeconds,
          storageKey: key,
          bytes: piece.bytes,
          receivedAt: deps.now(),
        });
        await rm(piece.file, { force: true }); // S3 copies it; a local folder took it already
        // The connection's clip headers, made ahead so its first clip starts at once (downloads).
        if (pieces === 1) await deps.jobs.enqueue("live.headers", `${itemId}-${connectionNumber}`);
      },
      onHealth(health) {
        if (!connection.receiving || Date.now() - lastBeat < HEARTBEAT_MS) return;
        lastBeat = Date.now();
        void setLiveHealth(db, itemId, {
          protocol,
          bitrateKbps: Math.round(health.bitrateKbps),
          frameRate: health.frameRate,
          droppedFrames: health.droppedFrames,
          lastFrameAt: deps.now().toISOString(),
        })
          .then(() => setReceiving(db, itemId, new Date()))
          .catch(() => undefined);
      },
    });
    connection.done = (async () => {
      const end = await connection.recorder.done.catch((error: unknown) => {
        log.error({ err: error, itemId }, "live recording failed");
        return { kind: "ended" } as const;
      });
      if (end.kind === "refused") await setLiveProblem(db, itemId, end.problem).catch(() => undefined);
      if (connection.receiving && end.kind !== "stopped")
        await setReceiving(db, itemId, null).catch(() => undefined);
      connections.delete(connection);
      await rm(dir, { recursive: true, force: true });
    })();
    connections.add(connection);
  }

  /** The stream is live; a connection after an earlier one leaves a gap, which is noted. */
  async function started(itemId: number): Promise<number> {
    const before = await findLiveStream(db, itemId);
    const now = deps.now();
    await markLive(db, itemId, now);
    // Wall-clock time: it says this process is alive (live/finish.ts waits for it).
    await setReceiving(db, itemId, new Date());
    const connection = await nextConnection(db, itemId);
    if (before?.lastPieceAt && connection > 1) {
      const missingSeconds = Math.max(0, (now.getTime() - before.lastPieceAt.getTime()) / 1000);
      await addLiveGap(db, itemId, { at: await receivedSeconds(db, itemId), missingSeconds });
    }
    return connection;
  }

  async function codecProblem(itemId: number, file: string): Promise<string | null> {
    const streams = await probePiece(file, { tools: config.ffmpeg }).catch(() => null);
    if (!streams?.video) return "no_video";
    if (!VIDEO_CODECS.has(streams.video.codec)) return `video_codec:${streams.video.codec}`;
    const started = (await findLiveStream(db, itemId))?.startedAt ?? deps.now();
    await setLiveClock(db, itemId, {
      startTimecode: recordingTimecode(streams, streams.video.frameRate, started),
      frameRate: streams.video.frameRate,
    });
    return null;
  }

  async function sync(): Promise<void> {
    if (closed) return;
    const open = await openLiveStreams(db);
    const openIds = new Set(open.map((s) => s.itemId));
    for (const connection of connections) {
      if (openIds.has(connection.itemId)) continue;
      // Ended: the last piece is closed and stored; an idle listener just goes.
      if (connection.receiving) connection.recorder.finish();
      else connection.recorder.stop();
    }
    if (config.live.srtPort === null) return;
    for (const stream of open) {
      if (stream.srtPort === null) continue;
      const listener = [...connections].find((c) => c.itemId === stream.itemId && c.protocol === "srt");
      if (listener && listener.key !== stream.key && !listener.receiving) listener.recorder.stop();
      if (listener && (listener.key === stream.key || listener.receiving)) continue;
      if (listener) await listener.done;
      await record(stream.itemId, "srt", stream.key, {
        kind: "srt",
        host: config.live.bindHost,
        port: stream.srtPort,
        passphrase: stream.key,
      });
    }
    const before = new Date(deps.now().getTime() - config.live.senderGoneSeconds * 1000);
    for (const itemId of await silentLiveStreams(db, before)) {
      if (receivingFor(itemId)) continue;
      log.info({ itemId }, "the sender of a live has been gone too long: the live ends");
      await endLive(deps, itemId);
    }
  }

  const acceptPublish: AcceptPublish = async (publish) => {
    await workReady;
    const stream = publish.app === "live" ? await liveStreamByKey(db, publish.key) : null;
    if (!stream || stream.state === "ended" || receivingFor(stream.itemId)) {
      log.warn(
        { remote: publish.remote },
        "an RTMP stream with an unknown key, or for a live already sending, was refused",
      );
      return false;
    }
    await record(stream.itemId, "rtmp", publish.key, { kind: "flv", stdin: publish.flv });
    return true;
  };
  const rtmp =
    config.live.rtmpPort === null
      ? null
      : await startRtmpServer(config.live.rtmpPort, config.live.bindHost, acceptPublish).catch(
          (error: NodeJS.ErrnoException) => {
            if (error.code === "EADDRINUSE") return "taken" as const;
            throw error;
          },
        );

  if (rtmp === "taken") {
    // Several portal processes on one machine (PostgreSQL): the one that has the RTMP port
    // receives every live, SRT included; the others serve the pieces from storage.
    log.warn(
      { port: config.live.rtmpPort },
      "the RTMP port is in use: another process receives the live streams",
    );
    return { rtmpPort: null, sync: async () => undefined, close: async () => undefined };
  }
  // What a dead receiving process left (its pieces in progress; the stored ones are safe).
  await rm(work, { recursive: true, force: true });
  workCleared();

  let ticking: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    ticking = ticking.then(sync).catch((error: unknown) => log.error({ err: error }, "live receiver"));
  }, SYNC_MS);
  await sync();

  return {
    rtmpPort: rtmp?.port ?? null,
    sync: () => {
      ticking = ticking.then(sync);
      return ticking;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await ticking.catch(() => undefined);
      await rtmp?.close();
      for (const connection of connections) connection.recorder.stop();
      await Promise.all([...connections].map((c) => c.done));
    },
  };
}

import type { Config } from "../core/config.ts";
import type { Queryable } from "../db/database.ts";
import {
  findLiveStream,
  type LiveGap,
  type LiveHealth,
  type LiveState,
  type LiveStream,
  receivedSeconds,
} from "./live-store.ts";

const RECEIVING_STALE_MS = 15_000;

/**
 * What the catalogue shows of a live item (issue 12): its state, where its recording plays while
 * it is live, and for editors where the encoder sends and how the stream is doing.
 */

export type LiveView = {
  state: LiveState;
  scheduledAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  /** The live edge: seconds of the recording received and stored so far. */
  receivedSeconds: number;
  /** Whether the encoder is sending now: a live whose sender went away waits for it to come back. */
  receiving: boolean;
  startTimecode: string | null;
  frameRate: { num: number; den: number } | null;
  /** For editors only. */
  ingest: {
    key: string;
    srt: string | null;
    rtmp: string | null;
    health: LiveHealth;
    problem: string | null;
    gaps: LiveGap[];
  };
};

/** The addresses an encoder sends to: each a complete URL ffmpeg (or OBS) takes as it is. */
export type LiveAddresses = { srt: string | null; rtmp: string | null };

export function liveAddresses(config: Config, stream: Pick<LiveStream, "key" | "srtPort">): LiveAddresses {
  const host = new URL(config.publicUrl).hostname;
  const srt =
    config.live.srtPort !== null && stream.srtPort !== null
      ? `srt://${host}:${stream.srtPort}?passphrase=${stream.key}`
      : null;
  const rtmp =
    config.live.rtmpPort !== null ? `rtmp://${host}:${config.live.rtmpPort}/live/${stream.key}` : null;
  return { srt, rtmp };
}

export async function liveView(db: Queryable, config: Config, itemId: number): Promise<LiveView | null> {
  const stream = await findLiveStream(db, itemId);
  if (!stream) return null;
  return {
    state: stream.state,
    scheduledAt: stream.scheduledAt,
    startedAt: stream.startedAt,
    endedAt: stream.endedAt,
    receivedSeconds: await receivedSeconds(db, itemId),
    // The receiving process stamps this every second with the wall clock while frames come, and
    // clears it when the connection ends; a stamp gone stale is a receiver that is gone.
    receiving: stream.receivingAt !== null && Date.now() - stream.receivingAt.getTime() < RECEIVING_STALE_MS,
    startTimecode: stream.startTimecode,
    frameRate: stream.frameRate,
    ingest: {
      key: stream.key,
      ...liveAddresses(config, stream),
      health: stream.health,
      problem: stream.problem,
      gaps: stream.gaps,
    },
  };
}

/** The live playlist of an item (catalogue/routes/live.ts). */
export const livePlaylistPath = (itemId: number) => `/media/items/${itemId}/live.m3u8`;

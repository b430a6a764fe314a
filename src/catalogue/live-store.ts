import { dateOrNull, jsonColumn, numberOrNull, stringOrNull } from "../db/columns.ts";
import type { Queryable } from "../db/database.ts";
import { parseRate } from "../media/probe.ts";
import type { Rational } from "../media/timecode.ts";

/**
 * Tables live_streams and live_pieces (issue 12): a live item's key and state, and the pieces of
 * its recording as they arrived. Ingest writes them (the receiver, the end of a live); the
 * catalogue and downloads read them (the live playlist, clips while it is live).
 */

export type LiveState = "waiting" | "live" | "ended";

export type LiveHealth = {
  bitrateKbps?: number;
  frameRate?: number;
  droppedFrames?: number;
  video?: string;
  audio?: string;
  protocol?: "srt" | "rtmp";
  /** ISO time of the last frame received. */
  lastFrameAt?: string;
};

export type LiveGap = { at: number; missingSeconds: number };

export type LiveStream = {
  itemId: number;
  key: string;
  srtPort: number | null;
  state: LiveState;
  scheduledAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  startTimecode: string | null;
  frameRate: Rational | null;
  lastPieceAt: Date | null;
  receivingAt: Date | null;
  health: LiveHealth;
  problem: string | null;
  gaps: LiveGap[];
};

export type LivePiece = {
  seq: number;
  connection: number;
  startSeconds: number;
  durationSeconds: number;
  storageKey: string;
  bytes: number;
  receivedAt: Date;
};

function toStream(r: Record<string, unknown>): LiveStream {
  return {
    itemId: Number(r.media_item_id),
    key: String(r.stream_key),
    srtPort: numberOrNull(r.srt_port),
    state: r.state as LiveState,
    scheduledAt: dateOrNull(r.scheduled_at),
    startedAt: dateOrNull(r.started_at),
    endedAt: dateOrNull(r.ended_at),
    startTimecode: stringOrNull(r.start_timecode),
    frameRate: parseRate(r.frame_rate === null ? undefined : String(r.frame_rate)),
    lastPieceAt: dateOrNull(r.last_piece_at),
    receivingAt: dateOrNull(r.receiving_at),
    health: jsonColumn<LiveHealth>(r.health, {}),
    problem: stringOrNull(r.problem),
    gaps: jsonColumn<LiveGap[]>(r.gaps, []),
  };
}

function toPiece(r: Record<string, unknown>): LivePiece {
  return {
    seq: Number(r.seq),
    connection: Number(r.connection),
    startSeconds: Number(r.start_seconds),
    durationSeconds: Number(r.duration_seconds),
    storageKey: String(r.storage_key),
    bytes: Number(r.bytes),
    receivedAt: dateOrNull(r.received_at)!,
  };
}

export async function insertLiveStream(
  db: Queryable,
  input: { itemId: number; key: string; srtPort: number | null; scheduledAt: Date | null; now: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO live_streams (media_item_id, stream_key, srt_port, scheduled_at, created_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [input.itemId, input.key, input.srtPort, input.scheduledAt, input.now],
  );
}

export async function findLiveStream(db: Queryable, itemId: number): Promise<LiveStream | null> {
  const [row] = await db.query("SELECT * FROM live_streams WHERE media_item_id = $1", [itemId]);
  return row ? toStream(row) : null;
}

export async function liveStreamByKey(db: Queryable, key: string): Promise<LiveStream | null> {
  const [row] = await db.query("SELECT * FROM live_streams WHERE stream_key = $1", [key]);
  return row ? toStream(row) : null;
}

/** Streams a receiver listens for: not ended. */
export async function openLiveStreams(db: Queryable): Promise<LiveStream[]> {
  const rows = await db.query("SELECT * FROM live_streams WHERE state <> 'ended' ORDER BY media_item_id");
  return rows.map(toStream);
}

/** SRT ports given to live items that have not ended (a port is free again after the end). */
export async function usedSrtPorts(db: Queryable): Promise<Set<number>> {
  const rows = await db.query<{ srt_port: number }>(
    "SELECT srt_port FROM live_streams WHERE srt_port IS NOT NULL AND state <> 'ended'",
  );
  return new Set(rows.map((r) => Number(r.srt_port)));
}

export async function setLiveKey(db: Queryable, itemId: number, key: string): Promise<void> {
  await db.query("UPDATE live_streams SET stream_key = $2 WHERE media_item_id = $1", [itemId, key]);
}

/** The first frame arrived: the stream is live, its recording starts at `at` (kept on a reconnection). */
export async function markLive(db: Queryable, itemId: number, at: Date): Promise<void> {
  await db.query(
    `UPDATE live_streams SET state = 'live', started_at = coalesce(started_at, $2), problem = NULL
     WHERE media_item_id = $1 AND state <> 'ended'`,
    [itemId, at],
  );
}

export async function setLiveHealth(db: Queryable, itemId: number, health: LiveHealth): Promise<void> {
  await db.query("UPDATE live_streams SET health = $2::jsonb WHERE media_item_id = $1", [
    itemId,
    JSON.stringify(health),
  ]);
}

export async function setLiveProblem(db: Queryable, itemId: number, problem: string | null): Promise<void> {
  await db.query("UPDATE live_streams SET problem = $2 WHERE media_item_id = $1", [itemId, problem]);
}

export async function addLiveGap(db: Queryable, itemId: number, gap: LiveGap): Promise<void> {
  await db.query("UPDATE live_streams SET gaps = gaps || $2::jsonb WHERE media_item_id = $1", [
    itemId,
    JSON.stringify([gap]),
  ]);
}

/** Ends the live once; false when it had already ended (a second "end" changes nothing). */
export async function markEnded(db: Queryable, itemId: number, at: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE live_streams SET state = 'ended', ended_at = $2, srt_port = NULL
     WHERE media_item_id = $1 AND state <> 'ended' RETURNING media_item_id`,
    [itemId, at],
  );
  return rows.length > 0;
}

/** Records a piece stored in full; it follows the last one on the recording's timeline. */
export async function addLivePiece(
  db: Queryable,
  itemId: number,
  piece: Omit<LivePiece, "seq" | "startSeconds">,
): Promise<LivePiece> {
  const [row] = await db.query(
    `WITH last AS (
       SELECT coalesce(max(seq), -1) AS seq,
              coalesce(max(start_seconds + duration_seconds), 0) AS ends
       FROM live_pieces WHERE media_item_id = $1)
     INSERT INTO live_pieces (media_item_id, seq, connection, start_seconds, duration_seconds,
       storage_key, bytes, received_at)
     SELECT $1, last.seq + 1, $2, last.ends, $3, $4, $5, $6 FROM last
     RETURNING *`,
    [itemId, piece.connection, piece.durationSeconds, piece.storageKey, piece.bytes, piece.receivedAt],
  );
  await db.query("UPDATE live_streams SET last_piece_at = $2 WHERE media_item_id = $1", [
    itemId,
    piece.receivedAt,
  ]);
  return toPiece(row!);
}

export async function livePieces(db: Queryable, itemId: number): Promise<LivePiece[]> {
  const rows = await db.query("SELECT * FROM live_pieces WHERE media_item_id = $1 ORDER BY seq", [itemId]);
  return rows.map(toPiece);
}

/** The connection number a new connection of the encoder gets. */
export async function nextConnection(db: Queryable, itemId: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    "SELECT coalesce(max(connection), 0) + 1 AS n FROM live_pieces WHERE media_item_id = $1",
    [itemId],
  );
  return Number(row?.n ?? 1);
}

/** Streams whose sender has been gone since before `before` (to be ended). */
export async function silentLiveStreams(db: Queryable, before: Date): Promise<number[]> {
  const rows = await db.query<{ media_item_id: number }>(
    "SELECT media_item_id FROM live_streams WHERE state = 'live' AND last_piece_at < $1",
    [before],
  );
  return rows.map((r) => Number(r.media_item_id));
}

export async function deleteLivePieces(db: Queryable, itemId: number): Promise<void> {
  await db.query("DELETE FROM live_pieces WHERE media_item_id = $1", [itemId]);
}

/** The receiving process is alive and still storing this stream's pieces (null: it has finished). */
export async function setReceiving(db: Queryable, itemId: number, at: Date | null): Promise<void> {
  await db.query("UPDATE live_streams SET receiving_at = $2 WHERE media_item_id = $1", [itemId, at]);
}

/** The recording's clock, set once from its first piece (a reconnection keeps it). */
export async function setLiveClock(
  db: Queryable,
  itemId: number,
  clock: { startTimecode: string; frameRate: Rational },
): Promise<void> {
  await db.query(
    `UPDATE live_streams SET start_timecode = coalesce(start_timecode, $2),
       frame_rate = coalesce(frame_rate, $3) WHERE media_item_id = $1`,
    [itemId, clock.startTimecode, `${clock.frameRate.num}/${clock.frameRate.den}`],
  );
}

/** Seconds received so far, per item (the live edge on the recording's timeline). */
export async function receivedSeconds(db: Queryable, itemId: number): Promise<number> {
  // Once the recording is the item's master its pieces are gone: what was received is the
  // master's length (the page said "Recorded so far 0 s" after a live of minutes).
  const [row] = await db.query<{ ends: number | null }>(
    `SELECT coalesce(
       (SELECT max(start_seconds + duration_seconds) FROM live_pieces WHERE media_item_id = $1),
       (SELECT duration_seconds FROM media_items WHERE id = $1)
     ) AS ends`,
    [itemId],
  );
  // To the millisecond: sums of piece lengths carry float dust (157.76000000000002).
  return Math.round(Number(row?.ends ?? 0) * 1000) / 1000;
}

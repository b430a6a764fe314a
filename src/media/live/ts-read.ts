import { open } from "node:fs/promises";

/**
 * Reads what a clip of a live needs from a received MPEG-TS piece without starting a process:
 * each elementary stream's first presentation time, and the number of pictures (one PES packet
 * per picture, as ffmpeg's muxer writes them). Starting ffprobe costs tens of milliseconds, far
 * more on a loaded machine, and a clip asked for at the live edge needs several.
 */

const PACKET = 188;
const CHUNK = 188 * 1024;
const VIDEO_TYPES = new Set([0x01, 0x02, 0x1b, 0x24]);
const TS_HZ = 90_000;

export type TsPiece = {
  /** The first picture's presentation time, seconds on the stream's clock. */
  videoStart: number;
  /** The earliest first presentation time of any of its streams (sound often starts first). */
  earliestStart: number;
  /** Pictures in the piece (only when the whole piece was read). */
  frames: number | null;
};

/**
 * `whole`: read to the end (to count pictures); otherwise only until every stream's first time
 * is known. Null when the file is not MPEG-TS as expected (callers then ask ffprobe).
 */
export async function readTsPiece(file: string, whole: boolean): Promise<TsPiece | null> {
  const handle = await open(file, "r");
  try {
    const state = newState();
    const buffer = Buffer.alloc(CHUNK);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      const usable = bytesRead - (bytesRead % PACKET);
      for (let at = 0; at < usable; at += PACKET) {
        if (buffer[at] !== 0x47) return null;
        readPacket(state, buffer.subarray(at, at + PACKET));
      }
      position += usable;
      if (bytesRead < CHUNK) break;
      if (!whole && state.streams.size > 0 && [...state.streams.values()].every((s) => s.first !== null))
        break;
    }
    const video = [...state.streams.values()].find((s) => s.video);
    const firsts = [...state.streams.values()].map((s) => s.first).filter((f): f is number => f !== null);
    if (!video || video.first === null || firsts.length === 0) return null;
    return {
      videoStart: video.first / TS_HZ,
      earliestStart: Math.min(...firsts) / TS_HZ,
      frames: whole ? video.pes : null,
    };
  } finally {
    await handle.close();
  }
}

type Stream = { video: boolean; first: number | null; pes: number };
type State = { pmtPids: Set<number>; streams: Map<number, Stream> };

function newState(): State {
  return { pmtPids: new Set(), streams: new Map() };
}

function readPacket(state: State, p: Buffer): void {
  const pid = ((p[1]! & 0x1f) << 8) | p[2]!;
  const start = (p[1]! & 0x40) !== 0;
  const adaptation = (p[3]! >> 4) & 3;
  if (adaptation === 0 || adaptation === 2) return;
  const payload = adaptation === 3 ? 5 + p[4]! : 4;
  if (payload >= PACKET || !start) return;
  if (pid === 0) {
    const table = payload + 1 + p[payload]!;
    const end = table + 3 + (((p[table + 1]! & 0x0f) << 8) | p[table + 2]!) - 4;
    for (let at = table + 8; at + 4 <= end && at + 4 <= PACKET; at += 4) {
      const number = (p[at]! << 8) | p[at + 1]!;
      if (number !== 0) state.pmtPids.add(((p[at + 2]! & 0x1f) << 8) | p[at + 3]!);
    }
    return;
  }
  if (state.pmtPids.has(pid)) {
    const table = payload + 1 + p[payload]!;
    if (p[table] !== 0x02) return;
    const end = Math.min(PACKET, table + 3 + (((p[table + 1]! & 0x0f) << 8) | p[table + 2]!) - 4);
    let at = table + 12 + (((p[table + 10]! & 0x0f) << 8) | p[table + 11]!);
    while (at + 5 <= end) {
      const type = p[at]!;
      const elementary = ((p[at + 1]! & 0x1f) << 8) | p[at + 2]!;
      if (!state.streams.has(elementary)) {
        state.streams.set(elementary, { video: VIDEO_TYPES.has(type), first: null, pes: 0 });
      }
      at += 5 + (((p[at + 3]! & 0x0f) << 8) | p[at + 4]!);
    }
    return;
  }
  const stream = state.streams.get(pid);
  // A PES header: 00 00 01, stream id, length, flags; the PTS when its flag is set.
  if (!stream || p[payload] !== 0 || p[payload + 1] !== 0 || p[payload + 2] !== 1) return;
  stream.pes += 1;
  if (stream.first !== null || (p[payload + 7]! & 0x80) === 0) return;
  const b = p.subarray(payload + 9, payload + 14);
  stream.first =
    ((b[0]! >> 1) & 0x07) * 2 ** 30 + (b[1]! << 22) + ((b[2]! >> 1) << 15) + (b[3]! << 7) + (b[4]! >> 1);
}

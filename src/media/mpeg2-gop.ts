/**
 * Rewrites the start of a copied run of MPEG-2 pictures so it plays on its own. A run copied
 * from an open-GOP I-picture begins with B-pictures predicted from the GOP before, which the clip
 * does not have: they are removed, the GOP is marked closed, and the temporal references of the
 * pictures left in that GOP are renumbered so the I-picture is shown first.
 */

const PICTURE = 0x00;
const SEQUENCE_HEADER = 0xb3;
const GOP_HEADER = 0xb8;
const LAST_SLICE = 0xaf;

const B_PICTURE = 3;

/** One coded picture with the sequence and GOP headers that precede it. */
interface PictureUnit {
  start: number;
  end: number;
  gopHeader: number | null;
  pictureHeader: number;
}

export class Mpeg2SpliceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Mpeg2SpliceError";
  }
}

export interface ClosedGop {
  /** The first GOP, rewritten. */
  bytes: Buffer;
  /** How many bytes of the input it replaces; the rest of the stream follows unchanged. */
  consumed: number;
}

/**
 * Takes the start of the stream (at least its whole first GOP and the next GOP's header) and
 * returns the first GOP closed. Only that GOP is read, so a long copy never has to be in memory.
 */
export function closeFirstGop(start: Buffer, leadingPictures: number): ClosedGop {
  const units = pictureUnits(start);
  const [first] = units;
  if (first === undefined || first.gopHeader === null) {
    throw new Mpeg2SpliceError("the copied run does not start with a GOP header");
  }
  const nextGop = units.findIndex((unit, i) => i > 0 && unit.gopHeader !== null);
  if (nextGop === -1) throw new Mpeg2SpliceError("the first GOP does not end within the bytes read");
  const gop = units.slice(0, nextGop);
  const leading = gop.slice(1, 1 + leadingPictures);
  if (leading.length !== leadingPictures || leading.some((u) => pictureType(start, u) !== B_PICTURE)) {
    throw new Mpeg2SpliceError(`expected ${leadingPictures} leading B-pictures after the I-picture`);
  }
  const kept = [first, ...gop.slice(1 + leadingPictures)];
  const bytes = Buffer.concat(kept.map((u) => start.subarray(u.start, u.end)));
  let offset = 0;
  for (const unit of kept) {
    renumber(bytes, unit.pictureHeader - unit.start + offset, leadingPictures);
    offset += unit.end - unit.start;
  }
  // closed_gop set and broken_link cleared: the remaining B-pictures need nothing before the I.
  const flags = first.gopHeader - first.start + 7;
  bytes[flags] = ((bytes[flags] ?? 0) | 0x40) & ~0x20;
  return { bytes, consumed: units[nextGop]?.start ?? start.length };
}

function renumber(output: Buffer, pictureHeader: number, by: number): void {
  const at = pictureHeader + 4;
  const reference = ((output[at] ?? 0) << 2) | ((output[at + 1] ?? 0) >> 6);
  const renumbered = reference - by;
  if (renumbered < 0) throw new Mpeg2SpliceError(`temporal reference ${reference} is below ${by}`);
  output[at] = renumbered >> 2;
  output[at + 1] = ((output[at + 1] ?? 0) & 0x3f) | ((renumbered & 3) << 6);
}

function pictureType(stream: Buffer, unit: PictureUnit): number {
  return ((stream[unit.pictureHeader + 5] ?? 0) >> 3) & 7;
}

/** Splits an elementary stream at each picture, keeping its headers with it. */
function pictureUnits(stream: Buffer): PictureUnit[] {
  const units: PictureUnit[] = [];
  let unitStart: number | null = null;
  let gopHeader: number | null = null;
  let previousWasSlice = true;
  let current: PictureUnit | null = null;
  for (let at = stream.indexOf(START_CODE); at !== -1; at = stream.indexOf(START_CODE, at + 3)) {
    const code = stream[at + 3] ?? 0;
    const isSlice = code >= 0x01 && code <= LAST_SLICE;
    const opensUnit = code === SEQUENCE_HEADER || code === GOP_HEADER || code === PICTURE;
    if (opensUnit && previousWasSlice) {
      if (current !== null) current.end = at;
      unitStart = at;
      gopHeader = null;
      current = null;
    }
    if (code === GOP_HEADER) gopHeader = at;
    if (code === PICTURE && unitStart !== null) {
      current = { start: unitStart, end: stream.length, gopHeader, pictureHeader: at };
      units.push(current);
    }
    previousWasSlice = isSlice;
  }
  return units;
}

const START_CODE = Buffer.from([0, 0, 1]);

export interface PictureStart {
  /** picture_coding_type: 1 I, 2 P, 3 B. */
  type: number;
  /** closed_gop of a GOP header before the picture; null when the picture opens no GOP. */
  closedGop: boolean | null;
}

/** The first picture of a coded frame (its first bytes are enough), or null if they hold none. */
export function pictureStart(start: Buffer): PictureStart | null {
  let closedGop: boolean | null = null;
  for (let at = start.indexOf(START_CODE); at !== -1; at = start.indexOf(START_CODE, at + 3)) {
    const code = start[at + 3];
    if (code === GOP_HEADER && at + 8 <= start.length) closedGop = ((start[at + 7] ?? 0) & 0x40) !== 0;
    if (code === PICTURE && at + 6 <= start.length)
      return { type: ((start[at + 5] ?? 0) >> 3) & 7, closedGop };
  }
  return null;
}

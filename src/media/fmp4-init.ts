/**
 * The initialisation segment of a fragmented MP4/MOV (ftyp + moov, everything before the first
 * moof). For clips of one master in one format it does not depend on IN and OUT: the sample
 * entries are the master's (a smart cut reproduces its parameter sets), the edit lists hide the
 * same B-frame delay and AAC priming, the durations of an empty moov are zero and the timecode is
 * in the first fragment. Only bit-rate hints (btrt, and the esds decoder configuration) describe
 * the clip's own frames. So the segment of an earlier clip can be sent while a new one is cut.
 */

/** Bytes up to the first moof once ftyp/moov are complete, or null while more bytes are needed. */
export function initSegmentLength(bytes: Buffer): number | null {
  let offset = 0;
  let sawMoov = false;
  while (offset + 8 <= bytes.length) {
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    const size = boxSize(bytes, offset);
    if (type === "moof" || type === "mdat") return sawMoov ? offset : null;
    if (size === null || offset + size > bytes.length) return null;
    if (type === "moov") sawMoov = true;
    offset += size;
  }
  return null;
}

/** The whole box size (header included), or null when it runs to the end or cannot be read yet. */
function boxSize(bytes: Buffer, offset: number): number | null {
  const size = bytes.readUInt32BE(offset);
  if (size === 1) {
    if (offset + 16 > bytes.length) return null;
    return Number(bytes.readBigUInt64BE(offset + 8));
  }
  return size >= 8 ? size : null;
}

/**
 * Whether two initialisation segments describe the same tracks, codecs, edit lists and
 * timescales: equal byte for byte except the bit-rate hints, which players do not decode by.
 */
export function sameInitSegment(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  const hints = bitRateHints(a);
  const other = bitRateHints(b);
  if (hints.length !== other.length || hints.some((h, i) => h.start !== other[i]?.start)) return false;
  let from = 0;
  for (const hint of [...hints, { start: a.length, end: a.length }]) {
    if (!a.subarray(from, hint.start).equals(b.subarray(from, hint.start))) return false;
    from = hint.end;
  }
  return true;
}

interface Span {
  start: number;
  end: number;
}

/** Where the bit-rate fields are: the body of each btrt box, and the rates of each esds. */
function bitRateHints(bytes: Buffer): Span[] {
  const spans: Span[] = [];
  for (let at = bytes.indexOf("btrt", 0, "latin1"); at !== -1; at = bytes.indexOf("btrt", at + 4, "latin1")) {
    // bufferSizeDB, maxBitrate, avgBitrate: 12 bytes after a 20-byte box's header.
    if (at >= 4 && bytes.readUInt32BE(at - 4) === 20 && at + 16 <= bytes.length) {
      spans.push({ start: at + 4, end: at + 16 });
    }
  }
  for (let at = bytes.indexOf("esds", 0, "latin1"); at !== -1; at = bytes.indexOf("esds", at + 4, "latin1")) {
    const rates = esdsRates(bytes, at + 8);
    if (rates !== null) spans.push(rates);
  }
  return spans.sort((x, y) => x.start - y.start);
}

/**
 * In an esds body (after its version and flags): ES_Descriptor (tag 3), then its
 * DecoderConfigDescriptor (tag 4), whose bufferSizeDB, maxBitrate and avgBitrate (11 bytes)
 * follow the object type and stream type (ISO/IEC 14496-1, 7.2.6).
 */
function esdsRates(bytes: Buffer, start: number): Span | null {
  let at = start;
  const descriptor = (tag: number): boolean => {
    if (bytes[at] !== tag) return false;
    at += 1;
    // The length takes up to four bytes, seven bits each, the high bit saying another follows.
    for (let i = 0; i < 4 && at < bytes.length; i++) {
      const byte = bytes[at++] ?? 0;
      if ((byte & 0x80) === 0) return true;
    }
    return false;
  };
  if (!descriptor(3)) return null;
  const flags = bytes[at + 2] ?? 0;
  at += 3;
  if (flags & 0x80) at += 2;
  if (flags & 0x40) at += 1 + (bytes[at] ?? 0);
  if (flags & 0x20) at += 2;
  if (!descriptor(4)) return null;
  at += 2;
  return at + 11 <= bytes.length ? { start: at, end: at + 11 } : null;
}

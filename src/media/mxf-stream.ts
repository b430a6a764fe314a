import { randomBytes } from "node:crypto";
import { type PictureStart, pictureStart } from "./mpeg2-gop.ts";
import {
  BODY,
  CLOSED_COMPLETE,
  FOOTER,
  headerMetadataSpan,
  isEssenceElement,
  isFill,
  isPictureElement,
  isSystemPackageSet,
  LABELS,
  localFields,
  MxfFormatError,
  PACK,
  packValueOffset,
  partitionKind,
  readKlvHeader,
  sameLabel,
  stampUmids,
  writeField,
} from "./mxf-klv.ts";

/**
 * An OP1a file as ffmpeg's mxf muxer writes it when it cannot seek (`-seekable 0`, like a pipe,
 * with `-fflags +bitexact`), read back as ffmpeg writes it and made into the streamed clip:
 *
 * - ffmpeg leaves the header partition open and incomplete, every duration unknown (-1), its
 *   MPEG descriptor's GOP fields as the first picture showed them, and no header metadata in
 *   the footer. Durations are known before the cut (OUT - IN frames for every track, all at the
 *   picture's edit rate), so they are written in at once; the partition stays open incomplete,
 *   since the GOP fields and the footer's place are only known at the end.
 * - The footer gets a closed, complete copy of the header metadata with the GOP fields read
 *   from the pictures that went by, which completes the open header (SMPTE 377-1): the streamed
 *   bytes are a valid file by themselves.
 * - Bit-exact UMIDs are the same for every file; each clip gets its own material number.
 * - complete() then makes ffmpeg's file the streamed bytes with its header partition closed (its
 *   metadata the footer's, the footer's offset in every partition pack), as ffmpeg does when it
 *   can seek back: the cached file is the streamed one with only those fixed-size fields changed.
 *
 * The header partition of an earlier clip of the same kind can be sent before ffmpeg writes its
 * own (`ahead`); ffmpeg's is then checked to be the same. Whatever IN and OUT, it is: the muxer
 * writes it from the streams' parameters and the first picture (every clip starts with a closed
 * GOP, and one whose pictures are the master's has the master's sequence header), bit-exact UMIDs
 * are fixed, and durations are unknown; only the start timecode differs (withStartTimecode).
 */
export interface MxfStreamer {
  /**
   * ffmpeg's next bytes: what the reader gets of them (null once it was broken off), and the
   * changes to make where ffmpeg wrote them, for the file to hold what the reader got.
   */
  splice: (chunk: Buffer) => { reader: Buffer | null; patches: Patch[] };
  /**
   * The header partition ffmpeg is expected to write, as the reader gets it (changed like
   * ffmpeg's will be); null if ffmpeg's came first.
   */
  ahead: (header: Buffer) => Buffer | null;
  /** ffmpeg's header partition as it wrote it, once seen: the template for the next clips. */
  header: () => Buffer | null;
  /**
   * Once every byte went through splice (and its patches were written): the changes that make
   * ffmpeg's file what the reader got, with the header partition closed.
   */
  complete: () => Patch[];
}

export interface Patch {
  at: number;
  bytes: Buffer;
}

// Sequence, GOP and picture headers of a frame come well within this; the rest is slices.
const PICTURE_HEAD_BYTES = 4096;

/**
 * `frames`: the clip's length, known before the cut. `mismatch` is called (and the reader gets
 * nothing more) if the header given to `ahead` is not the one ffmpeg writes.
 */
export function createMxfStreamer(frames: number, mismatch: () => void): MxfStreamer {
  const material = randomBytes(15);
  let pending: Buffer = Buffer.alloc(0);
  /** Where the next byte goes in the file (the reader's copy has the same layout). */
  let position = 0;
  /** Essence bytes still to pass unchanged, and the first bytes of a picture being collected. */
  let passing = 0;
  let picture: Buffer[] | null = null;
  let pictureBytes = 0;
  let headerParts: Buffer[] | null = [];
  let header: { raw: Buffer; patched: Buffer; metadata: { start: number; length: number } } | null = null;
  let aheadRaw: Buffer | null = null;
  let readerOn = true;
  /** Where each body partition pack's FooterPartition field is. */
  const bodyPacks: number[] = [];
  let footer: number | null = null;
  /** What the reader got from the footer on: ffmpeg's footer, plus the metadata put in it. */
  const footerTail: Buffer[] = [];
  let metadataDue = false;
  const gops = gopCounter();

  function finalMetadata(): Buffer {
    if (header === null) throw new MxfFormatError("no header partition");
    const { start, length } = header.metadata;
    const metadata = Buffer.from(header.patched.subarray(start, start + length));
    const values = gops.values();
    if (values === null) return metadata;
    for (const field of localFields(metadata)) {
      if (sameLabel(field.label, LABELS.closedGop)) writeField(metadata, field, values.closedGop);
      if (sameLabel(field.label, LABELS.maxGop)) writeField(metadata, field, values.maxGop);
      if (sameLabel(field.label, LABELS.bPictureCount)) writeField(metadata, field, values.bPictureCount);
    }
    return metadata;
  }

  function patchHeader(raw: Buffer): Buffer {
    const patched = Buffer.from(raw);
    const span = headerMetadataSpan(patched);
    const metadata = patched.subarray(span.start, span.start + span.length);
    for (const field of localFields(metadata)) {
      if (sameLabel(field.label, LABELS.duration)) writeField(metadata, field, frames);
    }
    stampUmids(patched, material);
    return patched;
  }

  function splice(chunk: Buffer): { reader: Buffer | null; patches: Patch[] } {
    const reader: Buffer[] = [];
    const patches: Patch[] = [];
    const emit = (bytes: Buffer, toReader = true): void => {
      if (toReader) reader.push(bytes);
      if (footer !== null) footerTail.push(bytes);
      position += bytes.length;
    };
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (at < pending.length) {
      if (passing > 0) {
        const part = pending.subarray(at, at + Math.min(passing, pending.length - at));
        if (picture !== null) collectPicture(part);
        emit(part);
        passing -= part.length;
        at += part.length;
        if (passing === 0 && picture !== null) endPicture();
        continue;
      }
      const klv = readKlvHeader(pending, at);
      if (klv === null) break;
      if (headerParts === null && isEssenceElement(klv.key)) {
        // Essence is passed on as it comes; only a picture's first bytes are looked at.
        emit(pending.subarray(at, at + klv.headerLength));
        at += klv.headerLength;
        passing = klv.valueLength;
        if (isPictureElement(klv.key)) picture = [];
        if (passing === 0 && picture !== null) endPicture();
        continue;
      }
      const end = at + klv.headerLength + klv.valueLength;
      if (end > pending.length) break;
      const bytes = Buffer.from(pending.subarray(at, end));
      at = end;
      const kind = partitionKind(klv.key);
      if (headerParts !== null) {
        if (kind !== BODY && kind !== FOOTER) {
          headerParts.push(bytes);
          continue;
        }
        endHeader(emit);
      }
      if (kind === BODY) {
        bodyPacks.push(position + packValueOffset(bytes) + PACK.footerPartition);
      } else if (kind === FOOTER) {
        footer = position;
        bytes.writeBigUInt64BE(
          BigInt(header?.metadata.length ?? 0),
          packValueOffset(bytes) + PACK.headerByteCount,
        );
        metadataDue = true;
      } else if (isSystemPackageSet(klv.key)) {
        for (const field of stampUmids(bytes, material)) {
          patches.push({ at: position + field, bytes: material.subarray(0, 15) });
        }
      } else if (metadataDue && !isFill(klv.key)) {
        // Right after the footer's pack and its fill, at a KAG boundary, before its index.
        emit(finalMetadata());
        metadataDue = false;
      }
      emit(bytes);
    }
    pending = pending.subarray(at);
    return { reader: readerOn ? joined(reader) : null, patches };
  }

  function endHeader(emit: (bytes: Buffer, toReader?: boolean) => void): void {
    const raw = Buffer.concat(headerParts ?? []);
    headerParts = null;
    const patched = patchHeader(raw);
    header = { raw, patched, metadata: headerMetadataSpan(patched) };
    if (aheadRaw !== null && !aheadRaw.equals(raw)) {
      readerOn = false;
      mismatch();
    }
    emit(patched, aheadRaw === null);
  }

  function collectPicture(part: Buffer): void {
    if (picture === null || pictureBytes >= PICTURE_HEAD_BYTES) return;
    const taken = part.subarray(0, PICTURE_HEAD_BYTES - pictureBytes);
    picture.push(taken);
    pictureBytes += taken.length;
  }

  function endPicture(): void {
    gops.add(pictureStart(Buffer.concat(picture ?? [])));
    picture = null;
    pictureBytes = 0;
  }

  function ahead(raw: Buffer): Buffer | null {
    if (headerParts === null) return null;
    const patched = patchHeader(raw);
    aheadRaw = raw;
    return patched;
  }

  function complete(): Patch[] {
    if (header === null || footer === null || metadataDue || pending.length > 0 || passing > 0) {
      throw new MxfFormatError("the output ended before its footer was complete");
    }
    const footerOffset = Buffer.alloc(8);
    footerOffset.writeBigUInt64BE(BigInt(footer));
    const packValue = packValueOffset(header.patched);
    // The header partition closed: complete status, the footer's place, the footer's metadata.
    const closed = Buffer.from(header.patched);
    closed[14] = CLOSED_COMPLETE;
    footerOffset.copy(closed, packValue + PACK.footerPartition);
    finalMetadata().copy(closed, header.metadata.start);
    return [
      { at: 0, bytes: closed },
      // ffmpeg's footer has no header metadata: the reader's has.
      { at: footer, bytes: Buffer.concat(footerTail) },
      ...bodyPacks.map((at) => ({ at, bytes: footerOffset })),
    ];
  }

  return { splice, ahead, header: () => header?.raw ?? null, complete };
}

/** The header partition with every timecode component starting at `frames` (SMPTE 12M frame count). */
export function withStartTimecode(header: Buffer, frames: number): Buffer {
  const copy = Buffer.from(header);
  const span = headerMetadataSpan(copy);
  const metadata = copy.subarray(span.start, span.start + span.length);
  for (const field of localFields(metadata)) {
    if (sameLabel(field.label, LABELS.startTimecode)) writeField(metadata, field, frames);
  }
  return copy;
}

/** Whether two header partitions ffmpeg wrote are the same but for their start timecode. */
export function sameMxfHeader(a: Buffer, b: Buffer): boolean {
  try {
    return withStartTimecode(a, 0).equals(withStartTimecode(b, 0));
  } catch (error) {
    if (error instanceof MxfFormatError) return false;
    throw error;
  }
}

function joined(parts: Buffer[]): Buffer {
  return parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts);
}

/**
 * The MPEG descriptor's GOP fields (SMPTE 381-1) from the pictures in decoding order: whether
 * every GOP is closed, the largest distance between I-pictures, and the longest run of
 * B-pictures. null if any picture could not be read.
 */
function gopCounter() {
  let pictures = 0;
  let lastIntra = -1;
  let maxGop = 0;
  let run = 0;
  let bPictureCount = 0;
  let closedGop = true;
  let readable = true;
  return {
    add(start: PictureStart | null): void {
      if (start === null) {
        readable = false;
        return;
      }
      if (start.closedGop === false) closedGop = false;
      if (start.type === 1) {
        if (lastIntra >= 0) maxGop = Math.max(maxGop, pictures - lastIntra);
        lastIntra = pictures;
      }
      run = start.type === 3 ? run + 1 : 0;
      bPictureCount = Math.max(bPictureCount, run);
      pictures += 1;
    },
    values(): { closedGop: number; maxGop: number; bPictureCount: number } | null {
      if (!readable || lastIntra < 0) return null;
      return { closedGop: closedGop ? 1 : 0, maxGop: Math.max(maxGop, pictures - lastIntra), bPictureCount };
    },
  };
}

/** Looking inside the MXF clips the cutter streams: their partitions and header metadata. */
import { expect } from "vitest";
import {
  BODY,
  CLOSED_COMPLETE,
  FOOTER,
  HEADER,
  LABELS,
  localFields,
  PACK,
  PRIMER,
  packValueOffset,
  partitionKind,
  readKlvHeader,
  sameLabel,
} from "../../src/media/mxf-klv.ts";

export const OPEN_INCOMPLETE = 0x01;
const UMID_LABEL = Buffer.from("060a2b340101010501010d0013", "hex");

export interface Partition {
  at: number;
  kind: number;
  status: number;
  /** The pack's FooterPartition field, and where that field is. */
  footer: number;
  footerField: number;
  /** The header metadata this partition carries (primer to the end of its fill), empty if none. */
  metadata: Buffer;
}

/** Every partition of a file, in order, walking its KLVs from the start. */
export function mxfPartitions(bytes: Buffer): Partition[] {
  const partitions: Partition[] = [];
  let at = 0;
  for (let klv = readKlvHeader(bytes, at); klv !== null; klv = readKlvHeader(bytes, at)) {
    const kind = partitionKind(klv.key);
    if (kind !== null) {
      const value = packValueOffset(bytes, at);
      const headerBytes = Number(bytes.readBigUInt64BE(value + PACK.headerByteCount));
      let primer = at + klv.headerLength + klv.valueLength;
      for (let next = readKlvHeader(bytes, primer); headerBytes > 0 && next !== null; ) {
        if (next.key.equals(PRIMER)) break;
        primer += next.headerLength + next.valueLength;
        next = readKlvHeader(bytes, primer);
      }
      partitions.push({
        at,
        kind,
        status: klv.key[14] ?? 0,
        footer: Number(bytes.readBigUInt64BE(value + PACK.footerPartition)),
        footerField: value + PACK.footerPartition,
        metadata: bytes.subarray(primer, primer + headerBytes),
      });
    }
    at += klv.headerLength + klv.valueLength;
  }
  return partitions;
}

/** The header partition: everything before the next partition pack. */
export function headerPartition(bytes: Buffer): Buffer {
  const next = mxfPartitions(bytes)[1];
  return bytes.subarray(0, next?.at ?? bytes.length);
}

/** The UMIDs in some bytes, as hex. */
export function mxfUmids(bytes: Buffer): string[] {
  const umids: string[] = [];
  for (let at = bytes.indexOf(UMID_LABEL); at !== -1; at = bytes.indexOf(UMID_LABEL, at + 32)) {
    umids.push(bytes.subarray(at, at + 32).toString("hex"));
  }
  return umids;
}

export interface MetadataValues {
  frames: number;
  closedGop: number;
  maxGop: number;
  bPictureCount: number;
}

function values(metadata: Buffer) {
  const found = {
    durations: [] as number[],
    closedGop: [] as number[],
    maxGop: [] as number[],
    bPictureCount: [] as number[],
  };
  for (const field of localFields(metadata)) {
    const read = (): number =>
      field.length === 8
        ? Number(metadata.readBigUInt64BE(field.at))
        : metadata.readUIntBE(field.at, field.length);
    if (sameLabel(field.label, LABELS.duration)) found.durations.push(read());
    if (sameLabel(field.label, LABELS.closedGop)) found.closedGop.push(read());
    if (sameLabel(field.label, LABELS.maxGop)) found.maxGop.push(read());
    if (sameLabel(field.label, LABELS.bPictureCount)) found.bPictureCount.push(read());
  }
  return found;
}

/**
 * The streamed clip: an open, incomplete header partition (durations known, no footer offset)
 * completed by a footer with a closed, complete copy of the header metadata. The cached clip:
 * the same bytes, but for a closed complete header partition holding the footer's metadata
 * and every partition pack pointing at the footer.
 */
export function expectCompletedMxf(streamed: Buffer, cached: Buffer, expected: MetadataValues): void {
  const open = mxfPartitions(streamed);
  const closed = mxfPartitions(cached);
  const header = open[0];
  const footer = open.at(-1);
  expect(open.map((p) => p.kind)).toEqual([HEADER, ...open.slice(1, -1).map(() => BODY), FOOTER]);
  expect(header?.status).toBe(OPEN_INCOMPLETE);
  expect(header?.footer).toBe(0);
  const durations = values(header?.metadata ?? Buffer.alloc(0)).durations;
  expect(durations.length).toBeGreaterThan(0);
  expect(durations.every((d) => d === expected.frames)).toBe(true);

  expect(footer?.status).toBe(CLOSED_COMPLETE);
  expect(footer?.metadata.length).toBe(header?.metadata.length);
  const final = values(footer?.metadata ?? Buffer.alloc(0));
  expect(final).toEqual({
    durations,
    closedGop: [expected.closedGop],
    maxGop: [expected.maxGop],
    bPictureCount: [expected.bPictureCount],
  });

  expect(cached.length).toBe(streamed.length);
  expect(closed.map((p) => [p.at, p.kind, p.status, p.footer])).toEqual(
    open.map((p) => [p.at, p.kind, CLOSED_COMPLETE, footer?.at]),
  );
  expect(closed[0]?.metadata.equals(footer?.metadata ?? Buffer.alloc(0))).toBe(true);
  // Nothing else changed: no essence, index or timecode byte.
  const changed = new Set<number>([14]);
  for (const p of closed) for (let i = 0; i < 8; i++) changed.add(p.footerField + i);
  const metadataStart = (closed[0]?.metadata.byteOffset ?? 0) - cached.byteOffset;
  for (let i = 0; i < (closed[0]?.metadata.length ?? 0); i++) changed.add(metadataStart + i);
  const others: number[] = [];
  for (let i = 0; i < cached.length && others.length < 10; i++) {
    if (cached[i] !== streamed[i] && !changed.has(i)) others.push(i);
  }
  expect(others).toEqual([]);
}

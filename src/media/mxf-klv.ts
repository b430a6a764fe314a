/**
 * The few pieces of MXF (SMPTE 377-1) the streamed clip needs to read and patch: KLV framing,
 * partition packs, and the header metadata's local sets, whose tags the primer pack maps to
 * universal labels. Only fixed-size fields are ever rewritten, so nothing moves.
 */

/** Keys compared on their first 13 bytes: partition packs (byte 13: kind, 14: status). */
const PARTITION_PREFIX = Buffer.from("060e2b34020501010d01020101", "hex");
export const PRIMER = Buffer.from("060e2b34020501010d01020101050100", "hex");
const SYSTEM_PACKAGE_SET = Buffer.from("060e2b34024301010d01030104010201", "hex");
/** Generic container essence elements (SMPTE 379-1): byte 12 is the item type, 0x15 a picture. */
const ESSENCE_PREFIX = Buffer.from("060e2b34010201010d010301", "hex");
const PICTURE_ITEM = 0x15;
/** KLV fill: the version byte (7) differs between writers, so it is not compared. */
const FILL = Buffer.from("060e2b34010101000301021001000000", "hex");

/** Partition kinds (key byte 13) and the status written in key byte 14. */
export const HEADER = 0x02;
export const BODY = 0x03;
export const FOOTER = 0x04;
export const CLOSED_COMPLETE = 0x04;

/** Offsets of the partition pack's fields within its value (SMPTE 377-1, 7.1). */
export const PACK = { footerPartition: 24, headerByteCount: 32 } as const;

export interface KlvHeader {
  key: Buffer;
  /** Bytes of key and length together. */
  headerLength: number;
  valueLength: number;
}

/** The key and BER length at `at`, or null while `bytes` ends before them. */
export function readKlvHeader(bytes: Buffer, at: number): KlvHeader | null {
  if (at + 17 > bytes.length) return null;
  const first = bytes[at + 16] ?? 0;
  if (first < 0x80) return { key: bytes.subarray(at, at + 16), headerLength: 17, valueLength: first };
  const size = first & 0x7f;
  if (size === 0 || size > 8) throw new MxfFormatError(`BER length of ${size} bytes at ${at}`);
  if (at + 17 + size > bytes.length) return null;
  let valueLength = 0;
  for (let i = 0; i < size; i++) valueLength = valueLength * 256 + (bytes[at + 17 + i] ?? 0);
  return { key: bytes.subarray(at, at + 16), headerLength: 17 + size, valueLength };
}

export class MxfFormatError extends Error {
  constructor(message: string) {
    super(`unexpected MXF from ffmpeg: ${message}`);
    this.name = "MxfFormatError";
  }
}

/** HEADER, BODY or FOOTER for a partition pack's key, null for any other key. */
export function partitionKind(key: Buffer): number | null {
  if (!key.subarray(0, 13).equals(PARTITION_PREFIX)) return null;
  const kind = key[13] ?? 0;
  return kind === HEADER || kind === BODY || kind === FOOTER ? kind : null;
}

export function isSystemPackageSet(key: Buffer): boolean {
  return key.equals(SYSTEM_PACKAGE_SET);
}

export function isPictureElement(key: Buffer): boolean {
  return key.subarray(0, 12).equals(ESSENCE_PREFIX) && key[12] === PICTURE_ITEM;
}

export function isEssenceElement(key: Buffer): boolean {
  return key.subarray(0, 12).equals(ESSENCE_PREFIX);
}

export function isFill(key: Buffer): boolean {
  return key.subarray(0, 7).equals(FILL.subarray(0, 7)) && key.subarray(8).equals(FILL.subarray(8));
}

/** A partition pack's value, read as a whole KLV starting at `at`. */
export function packValueOffset(klv: Buffer, at = 0): number {
  const header = readKlvHeader(klv, at);
  if (header === null) throw new MxfFormatError("partition pack cut short");
  return at + header.headerLength;
}

/**
 * The header metadata of a header partition: where it starts (the primer pack) and how many
 * bytes it takes (HeaderByteCount, its trailing fill included).
 */
export function headerMetadataSpan(partition: Buffer): { start: number; length: number } {
  const value = packValueOffset(partition);
  const length = Number(partition.readBigUInt64BE(value + PACK.headerByteCount));
  let at = 0;
  // The pack, then fill up to the KAG, then the primer.
  for (let header = readKlvHeader(partition, at); header !== null; header = readKlvHeader(partition, at)) {
    if (header.key.equals(PRIMER)) {
      if (at + length > partition.length) throw new MxfFormatError("header metadata beyond its partition");
      return { start: at, length };
    }
    at += header.headerLength + header.valueLength;
  }
  throw new MxfFormatError("no primer pack in the header partition");
}

/** A field of a local set in the header metadata, by the universal label its tag stands for. */
export interface LocalField {
  /** Universal label (16 bytes, the version byte not compared). */
  label: Buffer;
  /** Where its value is in the metadata buffer, and how long. */
  at: number;
  length: number;
}

/**
 * Every field of every local set of a header metadata buffer (primer first), with the label the
 * primer gives its tag.
 */
export function localFields(metadata: Buffer): LocalField[] {
  const primer = readKlvHeader(metadata, 0);
  if (primer === null || !primer.key.equals(PRIMER))
    throw new MxfFormatError("header metadata without primer");
  const labels = new Map<number, Buffer>();
  const batch = primer.headerLength;
  const count = metadata.readUInt32BE(batch);
  const itemSize = metadata.readUInt32BE(batch + 4);
  for (let i = 0; i < count; i++) {
    const item = batch + 8 + i * itemSize;
    labels.set(metadata.readUInt16BE(item), metadata.subarray(item + 2, item + 18));
  }
  const fields: LocalField[] = [];
  let at = primer.headerLength + primer.valueLength;
  for (let set = readKlvHeader(metadata, at); set !== null; set = readKlvHeader(metadata, at)) {
    const end = at + set.headerLength + set.valueLength;
    if (end > metadata.length) throw new MxfFormatError("local set beyond the header metadata");
    // Sets are 02.53 keys (2-byte tags and lengths); the fill at the end is skipped.
    if (set.key[4] === 0x02 && set.key[5] === 0x53) {
      for (let tag = at + set.headerLength; tag + 4 <= end; ) {
        const length = metadata.readUInt16BE(tag + 2);
        const label = labels.get(metadata.readUInt16BE(tag));
        if (label !== undefined) fields.push({ label, at: tag + 4, length });
        tag += 4 + length;
      }
    }
    at = end;
  }
  return fields;
}

/** Whether two universal labels name the same thing (their version bytes may differ). */
export function sameLabel(a: Buffer, b: Buffer): boolean {
  return (
    a.length === 16 &&
    b.length === 16 &&
    a.subarray(0, 7).equals(b.subarray(0, 7)) &&
    a.subarray(8).equals(b.subarray(8))
  );
}

/** Labels of the header fields the clip sets (SMPTE RP 210, and 381-1 for the MPEG descriptor). */
export const LABELS = {
  duration: Buffer.from("060e2b34010101020702020101030000", "hex"),
  startTimecode: Buffer.from("060e2b34010101020702010301050000", "hex"),
  closedGop: Buffer.from("060e2b34010101050401060201060000", "hex"),
  maxGop: Buffer.from("060e2b34010101050401060201080000", "hex"),
  bPictureCount: Buffer.from("060e2b34010101050401060201090000", "hex"),
} as const;

/** Writes an unsigned value big-endian into a field of 1, 2, 4 or 8 bytes. */
export function writeField(bytes: Buffer, field: LocalField, value: number): void {
  if (field.length === 8) bytes.writeBigUInt64BE(BigInt(value), field.at);
  else if (field.length === 1 || field.length === 2 || field.length === 4)
    bytes.writeUIntBE(value, field.at, field.length);
  else throw new MxfFormatError(`a ${field.length}-byte numeric field`);
}

/**
 * ffmpeg's UMIDs when told to be bit-exact (SMPTE 330 basic UMID): its label, a zero instance
 * number and a zero material number but for the last byte, which says which package it names.
 */
const BITEXACT_UMID = Buffer.concat([Buffer.from("060a2b340101010501010d0013", "hex"), Buffer.alloc(18)]);

/**
 * Gives every bit-exact UMID in `bytes` the clip's own material number (15 bytes), in place, and
 * says where it wrote it.
 */
export function stampUmids(bytes: Buffer, material: Buffer): number[] {
  const stamped: number[] = [];
  for (let at = bytes.indexOf(BITEXACT_UMID); at !== -1; at = bytes.indexOf(BITEXACT_UMID, at + 32)) {
    material.copy(bytes, at + 16, 0, 15);
    stamped.push(at + 16);
  }
  return stamped;
}

/** Whether bytes start like an MXF file (a SMPTE key) rather than an MP4 box. */
export function isMxfHeader(bytes: Buffer): boolean {
  return bytes.subarray(0, 4).equals(PARTITION_PREFIX.subarray(0, 4));
}

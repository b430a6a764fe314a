import { describe, expect, it } from "vitest";
import { closeFirstGop, Mpeg2SpliceError } from "../../src/media/mpeg2-gop.ts";

const TYPES = { I: 1, P: 2, B: 3 } as const;

const sequenceHeader = (): Buffer =>
  Buffer.from([0, 0, 1, 0xb3, 0x78, 0x04, 0x38, 0x33, 0xff, 0xff, 0xe0, 0x18]);
// time code 10:00:00:00 with closed_gop and broken_link clear.
const gopHeader = (): Buffer => Buffer.from([0, 0, 1, 0xb8, 0x50, 0x08, 0x00, 0x00]);
function picture(type: keyof typeof TYPES, temporalReference: number): Buffer {
  const header = Buffer.from([
    0,
    0,
    1,
    0x00,
    temporalReference >> 2,
    ((temporalReference & 3) << 6) | (TYPES[type] << 3),
    0xff,
    0xf8,
  ]);
  const slice = Buffer.from([0, 0, 1, 0x01, 0x12, 0x34, 0x56, 0x78]);
  return Buffer.concat([header, slice]);
}

/** An open GOP as XDCAM writes it, in file order: I2 B0 B1 P5 B3 B4, then the next GOP. */
function openGops(): Buffer {
  return Buffer.concat([
    sequenceHeader(),
    gopHeader(),
    picture("I", 2),
    picture("B", 0),
    picture("B", 1),
    picture("P", 5),
    picture("B", 3),
    picture("B", 4),
    sequenceHeader(),
    gopHeader(),
    picture("I", 2),
    picture("B", 0),
  ]);
}

/** Pictures and GOP flags as a decoder would read them. */
function describe_(stream: Buffer): string[] {
  const seen: string[] = [];
  for (
    let at = stream.indexOf(Buffer.from([0, 0, 1]));
    at !== -1;
    at = stream.indexOf(Buffer.from([0, 0, 1]), at + 3)
  ) {
    const code = stream[at + 3];
    if (code === 0xb8)
      seen.push(`GOP closed=${(stream[at + 7]! >> 6) & 1} broken=${(stream[at + 7]! >> 5) & 1}`);
    if (code === 0x00) {
      const reference = (stream[at + 4]! << 2) | (stream[at + 5]! >> 6);
      seen.push(`${" IPB"[(stream[at + 5]! >> 3) & 7]}${reference}`);
    }
  }
  return seen;
}

describe("closeFirstGop", () => {
  it("drops the leading B-pictures, closes the GOP and shows the I-picture first", () => {
    const stream = openGops();
    const { bytes, consumed } = closeFirstGop(stream, 2);
    expect(describe_(bytes)).toEqual(["GOP closed=1 broken=0", "I0", "P3", "B1", "B2"]);
    // The next GOP is left to be copied as it is: its own leading B-pictures have their references.
    expect(describe_(stream.subarray(consumed))).toEqual(["GOP closed=0 broken=0", "I2", "B0"]);
    expect(bytes.length).toBe(consumed - 2 * picture("B", 0).length);
  });

  it("keeps the sequence header in front of the I-picture", () => {
    const { bytes } = closeFirstGop(openGops(), 2);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0xb3]));
  });

  it("refuses a run that does not start a GOP, or whose leading pictures are not B", () => {
    expect(() => closeFirstGop(Buffer.concat([picture("P", 0), gopHeader(), picture("I", 0)]), 2)).toThrow(
      Mpeg2SpliceError,
    );
    expect(() => closeFirstGop(openGops(), 3)).toThrow(/leading B-pictures/);
  });

  it("refuses bytes that stop before the first GOP ends", () => {
    const stream = openGops();
    expect(() => closeFirstGop(stream.subarray(0, 60), 2)).toThrow(/does not end/);
  });
});

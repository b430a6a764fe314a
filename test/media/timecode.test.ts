import { describe, expect, it } from "vitest";
import { parseClipPoint, resolveClipRange } from "../../src/media/clip-range.ts";
import { InvalidTimecode, TimecodeOutOfRange } from "../../src/media/errors.ts";
import {
  formatTimecode,
  framesToTimecode,
  parseTimecode,
  timecodeAtFrame,
  timecodeToFrames,
} from "../../src/media/timecode.ts";

const PAL = { num: 25, den: 1 };
const NTSC = { num: 30000, den: 1001 };
const NTSC60 = { num: 60000, den: 1001 };

const frames = (text: string, rate = PAL): number => timecodeToFrames(parseTimecode(text), rate);
const label = (count: number, rate = PAL, dropFrame = false): string =>
  formatTimecode(framesToTimecode(count, rate, dropFrame));

describe("SMPTE timecode", () => {
  it("counts 25 fps non-drop labels", () => {
    expect(frames("00:00:01:00")).toBe(25);
    expect(frames("10:00:00:00")).toBe(900_000);
    expect(label(900_000 + 24)).toBe("10:00:00:24");
    expect(label(900_025)).toBe("10:00:01:00");
  });

  it("counts 29.97 drop-frame labels, skipping ;00 and ;01 except every tenth minute", () => {
    expect(frames("00:01:00;02", NTSC)).toBe(1800);
    expect(frames("00:00:59;29", NTSC)).toBe(1799);
    expect(frames("00:10:00;00", NTSC)).toBe(17_982);
    expect(frames("00:09:59;29", NTSC)).toBe(17_981);
    expect(frames("01:00:00;00", NTSC)).toBe(107_892);
    expect(label(1799, NTSC, true)).toBe("00:00:59;29");
    expect(label(1800, NTSC, true)).toBe("00:01:00;02");
    expect(label(17_981, NTSC, true)).toBe("00:09:59;29");
    expect(label(17_982, NTSC, true)).toBe("00:10:00;00");
    expect(label(17_982 + 1800, NTSC, true)).toBe("00:11:00;02");
  });

  it("drops four labels a minute at 59.94", () => {
    expect(frames("00:01:00;04", NTSC60)).toBe(3600);
    expect(label(3600, NTSC60, true)).toBe("00:01:00;04");
    expect(label(35_964, NTSC60, true)).toBe("00:10:00;00");
  });

  it("round-trips every drop-frame label across a day boundary region", () => {
    const start = frames("23:58:00;02", NTSC);
    for (let n = start; n < start + 5000; n += 7) {
      const text = label(n, NTSC, true);
      expect(frames(text, NTSC) % 2_589_408).toBe(n % 2_589_408);
    }
  });

  it("counts 29.97 non-drop labels at a nominal 30", () => {
    expect(frames("00:10:00:00", NTSC)).toBe(18_000);
  });

  it("rejects labels that drop-frame never shows, and drop-frame at 25 fps", () => {
    expect(() => frames("00:01:00;00", NTSC)).toThrow(InvalidTimecode);
    expect(() => frames("00:01:00;01", NTSC)).toThrow(/skipped/);
    expect(() => frames("00:00:00;00", PAL)).toThrow(/drop-frame/);
  });

  it("rejects malformed text with a typed error carrying the input", () => {
    for (const bad of ["", "10:00:00", "1:2:3:4", "10:60:00:00", "24:00:00:00", "abc", "10:00:00:00:00"]) {
      expect(() => parseTimecode(bad)).toThrow(InvalidTimecode);
    }
    expect(() => frames("00:00:00:25")).toThrow(/below 25/);
    try {
      parseTimecode("xx");
    } catch (error) {
      expect(error).toMatchObject({ code: "InvalidTimecode", params: { input: "xx" } });
    }
  });

  it("gives the master's timecode at a frame, wrapping at midnight", () => {
    expect(timecodeAtFrame("10:00:00:00", 60, PAL)).toBe("10:00:02:10");
    expect(timecodeAtFrame(null, 60, PAL)).toBe("00:00:02:10");
    expect(timecodeAtFrame("23:59:59:24", 1, PAL)).toBe("00:00:00:00");
    expect(timecodeAtFrame("00:00:59;28", 2, NTSC)).toBe("00:01:00;02");
  });
});

describe("a user's IN/OUT points", () => {
  const master = { rate: PAL, startTimecode: "10:00:00:00", frameCount: 250 };

  it("reads timecodes on the master's clock and seconds from its start", () => {
    expect(parseClipPoint("10:00:02:10", master)).toBe(60);
    expect(parseClipPoint("2.4", master)).toBe(60);
    expect(parseClipPoint("2.4s", master)).toBe(60);
    expect(parseClipPoint("0:02.4", master)).toBe(60);
    expect(parseClipPoint("12.48", { ...master, frameCount: 1000 })).toBe(312);
  });

  it("takes decimal commas, and a clock time with hours on the master's clock", () => {
    expect(parseClipPoint("2,4", master)).toBe(60);
    expect(parseClipPoint("2,4s", master)).toBe(60);
    expect(parseClipPoint("0:02,4", master)).toBe(60);
    expect(parseClipPoint("10:00:04,5", master)).toBe(112);
    expect(parseClipPoint("10:00:04.5", master)).toBe(112);
    expect(parseClipPoint("10:00:04", master)).toBe(100);
    expect(() => parseClipPoint("10:00:04,5,1", master)).toThrow(InvalidTimecode);
  });

  it("reads a ':' timecode on a drop-frame master as the drop-frame label the player showed", () => {
    const ntsc = { rate: NTSC, startTimecode: "00:50:00;00", frameCount: 20_000 };
    expect(parseClipPoint("01:00:00;00", ntsc)).toBe(parseClipPoint("01:00:00:00", ntsc));
    expect(parseClipPoint("01:00:00;00", ntsc)).toBe(17_982);
  });

  it("picks the frame on screen at a time in seconds at 29.97", () => {
    expect(parseClipPoint("10", { rate: NTSC, startTimecode: null, frameCount: 1000 })).toBe(299);
  });

  it("accepts a whole-video range and rejects ones outside it or reversed", () => {
    expect(resolveClipRange("10:00:00:00", "10:00:10:00", master)).toEqual({ inFrame: 0, outFrame: 250 });
    expect(() => resolveClipRange("09:59:59:24", "10:00:01:00", master)).toThrow(TimecodeOutOfRange);
    expect(() => resolveClipRange("1", "10.04", master)).toThrow(TimecodeOutOfRange);
    expect(() => resolveClipRange("3", "3", master)).toThrow(/not after/);
    try {
      resolveClipRange("0", "11", master);
    } catch (error) {
      expect(error).toMatchObject({
        code: "TimecodeOutOfRange",
        params: { first: "10:00:00:00", end: "10:00:10:00" },
      });
    }
  });

  it("rejects text that is neither", () => {
    for (const bad of ["ten", "-1", "1:75", "10:00:00:xx", "1e3"]) {
      expect(() => parseClipPoint(bad, master)).toThrow(InvalidTimecode);
    }
  });
});

import { describe, expect, it } from "vitest";
import type { DownloadSource } from "../../src/downloads/item-source.ts";
import { audioChoices, formatsFor } from "../../src/downloads/labels.ts";
import type { MasterInfo } from "../../src/media/probe.ts";
import { fill, rangeProblems, sentenceRange } from "../../src/web/client/clip-points.ts";

/** The clip selector's arithmetic (browser island) and what the panel offers, without a page. */
const rate = { num: 25, den: 1 };
const context = { rate, startTimecode: "10:00:00:00", frameCount: 200 };
const messages = {
  invalidTimecode: '"{value}" is not a timecode.',
  outOfRange: "{in}–{out} is outside {first}–{end}.",
  outBeforeIn: "OUT must come after IN.",
  tooFar: '"{value}" is over {hours} hours.',
};

describe("clip points in the browser", () => {
  it("turns ticked sentences into IN at the first start and OUT after the last end", () => {
    expect(
      sentenceRange(
        [
          { start: 2, end: 4 },
          { start: 4, end: 6 },
        ],
        rate,
        200,
      ),
    ).toEqual({ inFrame: 50, outFrame: 150 });
    // A sentence ending inside a frame keeps that frame; the range stays within the video.
    expect(sentenceRange([{ start: 0.5, end: 3.5 }], rate, 200)).toEqual({ inFrame: 12, outFrame: 88 });
    expect(sentenceRange([{ start: 6, end: 9 }], rate, 200)).toEqual({ inFrame: 150, outFrame: 200 });
    expect(sentenceRange([], rate, 200)).toBeNull();
  });

  it("checks typed points as the server does, each problem beside its field", () => {
    expect(rangeProblems("10:00:01:00", "10:00:03:00", context, messages)).toEqual({
      problems: {},
      inFrame: 25,
      outFrame: 75,
    });
    expect(rangeProblems("abc", "3", context, messages).problems).toEqual({ in: '"abc" is not a timecode.' });
    expect(rangeProblems("1", "10:00:09:00", context, messages).problems).toEqual({
      out: "1–10:00:09:00 is outside 10:00:00:00–10:00:08:00.",
    });
    expect(rangeProblems("4", "2", context, messages).problems).toEqual({ out: "OUT must come after IN." });
    // Beyond any video: said as such, not as a frame whose timecode wraps (probe 2026-12-07, L6).
    expect(rangeProblems("1", "99999999999999999999", context, messages).problems).toEqual({
      out: '"99999999999999999999" is over 100 hours.',
    });
    expect(fill("IN set to {timecode}.", { timecode: "10:00:01:00" })).toBe("IN set to 10:00:01:00.");
  });
});

describe("what the panel offers", () => {
  const probe = {
    container: "mp4",
    video: { codec: "h264" },
    audio: [{ channels: 2 }],
  } as unknown as MasterInfo;
  const source = (mediaType: DownloadSource["mediaType"], audio = probe.audio): DownloadSource => ({
    itemId: 1,
    mediaType,
    status: "ready",
    titleEn: "",
    titleFr: "",
    publishedAt: null,
    embargoUntil: null,
    eventSlug: null,
    master: {
      storageKey: "k",
      originalName: "m.mp4",
      bytes: 1,
      probe: { ...probe, audio },
      keyframeIndexKey: null,
      audioLabels: [
        { index: 0, label: "floor" },
        { index: 1, label: "en" },
        { index: 2, label: "en" },
      ],
    },
    webPhotoKey: null,
    photoFormat: null,
  });

  it("offers sound formats only for sound, and no sound formats for a silent video", () => {
    expect(formatsFor(source("video"))).toEqual(["original", "mp4", "mxf", "prores", "wav", "mp3"]);
    expect(formatsFor(source("audio"))).toEqual(["original", "wav", "mp3"]);
    expect(formatsFor(source("video", []))).toEqual(["original", "mp4", "mxf", "prores"]);
  });

  it("offers each track label once", () => {
    expect(audioChoices(source("video"))).toEqual(["floor", "en"]);
  });
});

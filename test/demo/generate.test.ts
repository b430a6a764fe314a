import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import exifr from "exifr";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { demoEvents } from "../../src/demo/content.ts";
import { type DemoMedia, generateDemoMedia } from "../../src/demo/generate.ts";
import { speechLayout } from "../../src/demo/speech.ts";
import {
  DEMO_CACHE,
  probeDuration,
  probeTimecode,
  shortDemo,
  speechBoundaries,
  timecodeArea,
} from "./demo-media.ts";

// The first run makes about a minute of video (some seconds); later runs reuse the cache.
let media: DemoMedia;
beforeAll(async () => {
  media = await generateDemoMedia(DEMO_CACHE, shortDemo);
}, 120_000);

const near = (seconds: number, within: number) => (value: number) => Math.abs(value - seconds) <= within;

describe("demo media", () => {
  it("makes videos exactly as long as their transcript plus the lead-in and tail", async () => {
    for (const video of Object.values(media.videos)) {
      const duration = await probeDuration(path.join(media.dir, video.file));
      expect(duration).toBeCloseTo(video.durationSeconds, 1);
      if (video.sentences.length === 0) continue;
      const spoken = video.sentences.reduce((sum, s) => sum + (s.end - s.start), 0);
      const pauses = video.sentences
        .slice(1)
        .reduce((sum, s, i) => sum + (s.start - video.sentences[i]!.end), 0);
      const expected = video.sentences[0]!.start + spoken + pauses + speechLayout.tail;
      expect(Math.abs(duration - expected)).toBeLessThanOrEqual(0.1);
      expect(video.sentences[0]!.start).toBe(speechLayout.leadIn);
    }
  });

  it("has each sentence's speech at its transcript time, and silence between sentences", async () => {
    const conference = media.videos["fm-press-conference"]!;
    expect(conference.sentences.length).toBeGreaterThanOrEqual(7);
    const boundaries = await speechBoundaries(path.join(media.dir, conference.file));
    // The silence of the tail "ends" where the file does: not a sentence starting.
    const onsets = boundaries.onsets.filter((t) => t < conference.durationSeconds - 0.1);
    const { ends } = boundaries;
    for (const sentence of conference.sentences) {
      expect(onsets.some(near(sentence.start, 0.15)), `speech starts at ${sentence.start}: ${onsets}`).toBe(
        true,
      );
      expect(ends.some(near(sentence.end, 0.15)), `speech ends at ${sentence.end}: ${ends}`).toBe(true);
    }
    // Nothing is heard outside the sentences.
    for (const onset of onsets) {
      expect(conference.sentences.some((s) => onset >= s.start - 0.15 && onset <= s.end)).toBe(true);
    }
  });

  it("voices journalists with their outlet and a French exchange in French", () => {
    const sentences = media.videos["fm-press-conference"]!.sentences;
    const questions = sentences.filter((s) => s.isQuestion);
    expect(questions.map((q) => `${q.speaker} (${q.outlet})`)).toEqual([
      "Daniel Aberg (Meridian Public Radio)",
      "Sophie Marchetti (Le Courrier de Belvarre)",
      "Mila Torvik (Estmark Television)",
    ]);
    expect(sentences.filter((s) => s.lang === "fr").map((s) => s.speaker)).toEqual([
      "Sophie Marchetti",
      "Elin Castellane",
    ]);
  });

  it("writes the transcript as WebVTT beside each spoken video", async () => {
    const conference = media.videos["fm-press-conference"]!;
    const vtt = await readFile(path.join(media.dir, conference.transcriptFile!), "utf8");
    expect(vtt.startsWith("WEBVTT\n")).toBe(true);
    expect(vtt.match(/ --> /g)).toHaveLength(conference.sentences.length);
    expect(vtt).toContain("<v Sophie Marchetti (Le Courrier de Belvarre)>Madame la Secrétaire générale");
    expect(media.videos["cp-roundtable"]!.transcriptFile).toBeNull();
  });

  it("burns in a running timecode and records the same start timecode", async () => {
    const file = path.join(media.dir, media.videos["fm-doorstep"]!.file);
    expect(media.videos["fm-doorstep"]!.burnedInTimecode).toBe(true);
    expect(await probeTimecode(file)).toBe("10:00:00:00");
    const first = await timecodeArea(file, 0.5);
    const later = await timecodeArea(file, 1.5);
    expect(first.length).toBe(640 * 120);
    expect(first.equals(later)).toBe(false);
  });

  it("makes captioned JPEG photos with caption and credit in their metadata", async () => {
    expect(Object.keys(media.photos)).toHaveLength(4);
    for (const photo of Object.values(media.photos)) {
      const file = path.join(media.dir, photo.file);
      const meta = await sharp(file).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 1800, 1200]);
    }
    const tags = await exifr.parse(path.join(media.dir, media.photos["fm-family-photo"]!.file), {
      xmp: true,
    });
    expect(tags.ImageDescription).toContain("Family photo of the ministers");
    expect(tags.Credit).toBe("© Meridian Alliance / Jonas Hallberg");
    expect(tags.description).toContainEqual({
      lang: "fr",
      value: expect.stringContaining("Photo de famille"),
    });
  });

  it("still makes the media, without burned-in text, when no font is installed", async () => {
    const doorstepOnly = demoEvents.slice(0, 1).map((event) => ({
      ...event,
      items: event.items.filter((item) => item.key === "fm-doorstep"),
    }));
    const warnings: string[] = [];
    const log = {
      info: () => undefined,
      warn: (_: object, message?: string) => warnings.push(message ?? ""),
    };
    const dir = await mkdtemp(path.join(os.tmpdir(), "pressroom-demo-nofont-"));
    try {
      const plain = await generateDemoMedia(dir, {
        ...shortDemo,
        events: doorstepOnly,
        font: "/nonexistent.ttf",
        log,
      });
      const video = plain.videos["fm-doorstep"]!;
      expect(video.burnedInTimecode).toBe(false);
      expect(warnings.join()).toContain("No font");
      const file = path.join(dir, video.file);
      expect(await probeDuration(file)).toBeCloseTo(video.durationSeconds, 1);
      expect((await timecodeArea(file, 0.5)).equals(await timecodeArea(file, 1.5))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reuses complete media instead of making it again", async () => {
    const file = path.join(media.dir, media.videos["fm-doorstep"]!.file);
    const before = (await stat(file)).mtimeMs;
    const again = await generateDemoMedia(DEMO_CACHE, shortDemo);
    expect(again.videos["fm-doorstep"]).toEqual(media.videos["fm-doorstep"]);
    expect((await stat(file)).mtimeMs).toBe(before);
  });
});

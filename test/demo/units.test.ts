import { describe, expect, it } from "vitest";
import { demoEvents, demoVideos } from "../../src/demo/content.ts";
import { at } from "../../src/demo/load.ts";
import { shortenTurns } from "../../src/demo/speech.ts";
import { videoMasterArgs } from "../../src/demo/video.ts";
import { readWav, trimSilence, writeWav } from "../../src/demo/wav.ts";
import { toWebVtt } from "../../src/demo/webvtt.ts";

describe("demo content", () => {
  it("has two bilingual events whose programme points at their own items", () => {
    expect(demoEvents).toHaveLength(2);
    for (const event of demoEvents) {
      for (const field of [event.title, event.summary, event.body, event.place]) {
        expect(field.en).not.toBe("");
        expect(field.fr).not.toBe("");
      }
      const keys = new Set(event.items.map((item) => item.key));
      for (const entry of event.programme) if (entry.itemKey) expect(keys).toContain(entry.itemKey);
    }
  });

  it("has a press conference with an opening statement and Q&A, one exchange in French", () => {
    const conference = demoVideos().find((video) => video.kind === "press-conference")!;
    const [opening, ...qa] = conference.turns;
    expect(opening?.kind).toBe("speech");
    expect(opening?.sentences.length).toBeGreaterThanOrEqual(8);
    const questions = qa.filter((turn) => turn.kind === "question");
    expect(questions).toHaveLength(3);
    expect(questions.some((turn) => turn.lang === "fr")).toBe(true);
    for (const question of questions) expect(question.journalist.outlet).not.toBe("");
  });
});

describe("demo generation parts", () => {
  it("writes a cue per sentence with the speaker, and journalist (outlet) for questions", () => {
    const vtt = toWebVtt([
      {
        start: 1,
        end: 2.5,
        speaker: "Elin Castellane",
        outlet: "",
        isQuestion: false,
        lang: "en",
        text: "A & B.",
      },
      {
        start: 3.25,
        end: 61,
        speaker: "Mila Torvik",
        outlet: "Estmark Television",
        isQuestion: true,
        lang: "en",
        text: "Why?",
      },
    ]);
    expect(vtt).toBe(
      "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\n<v Elin Castellane>A &amp; B.\n\n" +
        "2\n00:00:03.250 --> 00:01:01.000\n<v Mila Torvik (Estmark Television)>Why?\n",
    );
  });

  it("trims a sentence to its audible samples and round-trips WAV", () => {
    const samples = Int16Array.from([0, 3, -2, 0, 5000, -7000, 0, 4000, 1, 0]);
    expect([...trimSilence(samples)]).toEqual([5000, -7000, 0, 4000]);
    const back = readWav(writeWav({ sampleRate: 22050, samples }));
    expect(back.sampleRate).toBe(22050);
    expect([...back.samples]).toEqual([...samples]);
  });

  it("shortens each turn for a quick test run, keeping every turn", () => {
    const turns = demoVideos()[0]!.turns;
    const short = shortenTurns(turns, 1);
    expect(short).toHaveLength(turns.length);
    expect(short.every((turn) => turn.sentences.length === 1)).toBe(true);
  });

  it("places demo times relative to the day of loading, in UTC", () => {
    const now = new Date("2026-11-23T07:45:00Z");
    expect(at({ dayOffset: -1, time: "13:15" }, now).toISOString()).toBe("2026-11-22T13:15:00.000Z");
    expect(at({ dayOffset: -8, time: "09:00" }, now).toISOString()).toBe("2026-11-15T09:00:00.000Z");
  });

  it("records the same start timecode it burns in, and draws nothing without a font", () => {
    const args = videoMasterArgs({
      seconds: 2,
      wavPath: null,
      captionFile: null,
      font: null,
      output: "out.mp4",
    });
    expect(args.join(" ")).toContain("-timecode 10:00:00:00");
    expect(args.join(" ")).not.toContain("drawtext");
    const drawn = videoMasterArgs({
      seconds: 2,
      wavPath: "s.wav",
      captionFile: null,
      font: "/f.ttf",
      output: "o.mp4",
    });
    expect(drawn.join(" ")).toContain("timecode='10\\:00\\:00\\:00':rate=25");
  });
});

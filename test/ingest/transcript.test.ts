import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTranscript } from "../../src/catalogue/transcript-formats.ts";
import { replaceTranscript } from "../../src/catalogue/transcript-store.ts";
import { UserError } from "../../src/core/errors.ts";
import type { Database } from "../../src/db/database.ts";
import { hlsLadder } from "../../src/media/hls-args.ts";
import { errorMessage } from "../../src/web/error-handler.ts";
import { openTestDatabase } from "../helpers/database.ts";
import { createEvent } from "./fixtures.ts";

const vtt = `WEBVTT

NOTE produced by the interpreters' booth

intro
00:00:01.000 --> 00:00:04.500 align:start
<v Mark Rutte>Good morning, &amp; welcome.

00:00:04.500 --> 00:00:06.000
We will take <i>questions</i> now.

00:01:00.000 --> 00:01:05.000
<v Jane Doe (Reuters)>What about Ukraine?
`;

const srt = `1
00:00:01,000 --> 00:00:03,000
MARK RUTTE: Thank you.

2
00:00:03,000 --> 00:00:05,000
Q (Le Soir): Et la Belgique ?

3
00:00:05,000 --> 00:00:07,000
Q: Another one.
`;

describe("parseTranscript", () => {
  it("reads WebVTT voices, continues a turn, and marks a question with its outlet", () => {
    const segments = parseTranscript(vtt, { format: "auto", lang: "en" });
    expect(segments).toEqual([
      {
        position: 0,
        startSeconds: 1,
        endSeconds: 4.5,
        speaker: "Mark Rutte",
        isQuestion: false,
        questionerOutlet: "",
        lang: "en",
        text: "Good morning, & welcome.",
      },
      {
        position: 1,
        startSeconds: 4.5,
        endSeconds: 6,
        speaker: "Mark Rutte",
        isQuestion: false,
        questionerOutlet: "",
        lang: "en",
        text: "We will take questions now.",
      },
      {
        position: 2,
        startSeconds: 60,
        endSeconds: 65,
        speaker: "Jane Doe",
        isQuestion: true,
        questionerOutlet: "Reuters",
        lang: "en",
        text: "What about Ukraine?",
      },
    ]);
  });

  it("reads SRT with NAME: labels and Q (Outlet): questions", () => {
    const segments = parseTranscript(srt, { format: "srt", lang: "fr" });
    expect(segments.map((s) => [s.speaker, s.isQuestion, s.questionerOutlet, s.text])).toEqual([
      ["MARK RUTTE", false, "", "Thank you."],
      ["", true, "Le Soir", "Et la Belgique ?"],
      ["", true, "", "Another one."],
    ]);
  });

  it.each([
    ["WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards\n", "line 3: the cue ends before it starts"],
    ["WEBVTT\n\nhello\nworld\n", "line 4: expected a cue timing such as 00:00:01.000 --> 00:00:04.000"],
    ["Not a subtitle file\n", 'line 1: expected a cue number, found "Not a subtitle file"'],
    ["WEBVTT\n", "line 2: no cues with text were found"],
  ])("refuses %j with the line number", (text, detail) => {
    expect(refusal(text, "auto", "en")).toBe(`The transcript could not be read: ${detail}`);
  });

  it.each([
    [
      "1\n00:00:00,000 --> 00:00:02,000\nnormal.\n\n2\n00:00:03,000 --> 9007199254740993:00:00,000\nhuge end.\n",
      'line 6: "9007199254740993:00:00,000" is over 100 hours: no recording is that long',
    ],
    [
      "1\n99999999999:00:00,000 --> 99999999999:00:01,000\nhuge start.\n",
      'line 2: "99999999999:00:00,000" is over 100 hours: no recording is that long',
    ],
    [
      "WEBVTT\n\n100:00:00.000 --> 100:00:00.001\nA millisecond too far.\n",
      'line 3: "100:00:00.001" is over 100 hours: no recording is that long',
    ],
    // So many hour digits that the number is Infinity: still a time, still too far; shown cut.
    [
      `WEBVTT\n\n${"9".repeat(400)}:00:00.000 --> ${"9".repeat(400)}:00:01.000\nInfinity.\n`,
      `line 3: "${"9".repeat(40)}" is over 100 hours: no recording is that long`,
    ],
  ])("refuses a cue time beyond 100 hours, with its line: %#", (text, detail) => {
    expect(refusal(text, "auto", "en")).toBe(`The transcript could not be read: ${detail}`);
  });

  it("takes 100 hours exactly, and before a master is known no other bound", () => {
    const text = "WEBVTT\n\n99:59:59.000 --> 100:00:00.000\nThe very end of a long session.\n";
    expect(parseTranscript(text, { format: "vtt", lang: "en" }).map((s) => s.endSeconds)).toEqual([360_000]);
  });

  it("refuses a cue that starts after the end of the master, saying the video's length, in both languages", () => {
    const text =
      "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nInside.\n\n00:00:07.500 --> 00:00:12.000\nRuns past the end: kept.\n\n00:00:08.250 --> 00:00:09.000\nAfter the end.\n";
    expect(refusal(text, "vtt", "en", 8.04)).toBe(
      "The transcript could not be read: line 9: the cue starts at 00:00:08.250, after the end of the video, which is 00:00:08.040 long",
    );
    expect(refusal(text, "vtt", "fr", 8.04)).toBe(
      "La transcription n'a pas pu être lue : ligne 9 : le sous-titre commence à 00:00:08.250, après la fin de la vidéo, qui dure 00:00:08.040",
    );
    expect(parseTranscript(text, { format: "vtt", lang: "en", durationSeconds: 8.25 })).toHaveLength(3);
  });

  it("refuses an SRT file given as WebVTT, and says why in French too", () => {
    expect(refusal(srt, "vtt", "en")).toBe(
      'The transcript could not be read: line 1: a WebVTT file starts with "WEBVTT"',
    );
    expect(refusal(srt, "vtt", "fr")).toBe(
      "La transcription n'a pas pu être lue : ligne 1 : un fichier WebVTT commence par « WEBVTT »",
    );
    expect(refusal("1\n00:00:0x,000 --> 00:00:02,000\nHello\n", "srt", "fr")).toBe(
      "La transcription n'a pas pu être lue : ligne 2 : « 00:00:0x,000 » n'est pas un horodatage",
    );
  });
});

describe("replaceTranscript", () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ db, drop } = await openTestDatabase()));
  afterAll(() => drop());

  it("replaces an item's segments in one go", async () => {
    const eventId = await createEvent(db, "t");
    const [item] = await db.query<{ id: number }>(
      "INSERT INTO media_items (event_id, media_type, created_at, updated_at) VALUES ($1, 'video', now(), now()) RETURNING id",
      [eventId],
    );
    await replaceTranscript(db, item!.id, parseTranscript(vtt, { format: "vtt", lang: "en" }), new Date());
    await replaceTranscript(db, item!.id, parseTranscript(srt, { format: "srt", lang: "fr" }), new Date());
    const rows = await db.query<{ position: number; lang: string; text: string }>(
      "SELECT position, lang, text FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
      [item!.id],
    );
    expect(rows.map((r) => r.text)).toEqual(["Thank you.", "Et la Belgique ?", "Another one."]);
    expect(new Set(rows.map((r) => r.lang))).toEqual(new Set(["fr"]));
    await replaceTranscript(db, item!.id, [], new Date());
    expect(await db.query("SELECT id FROM transcript_segments WHERE media_item_id = $1", [item!.id])).toEqual(
      [],
    );
  });
});

describe("HLS ladder", () => {
  it("never goes above 1080p nor upscales, and always has two rungs", () => {
    const rungs = (width: number, height: number) =>
      hlsLadder({ width, height, sampleAspectRatio: "1:1" }).map((v) => `${v.width}x${v.height}`);
    expect(rungs(3840, 2160)).toEqual(["1920x1080", "1280x720", "640x360"]);
    expect(rungs(640, 360)).toEqual(["640x360", "426x240"]);
    expect(rungs(720, 576)).toEqual(["720x576", "450x360", "300x240"]);
    expect(hlsLadder({ width: 720, height: 576, sampleAspectRatio: "64:45" })[0]).toMatchObject({
      width: 1024,
      height: 576,
    });
    expect(rungs(320, 180)).toEqual(["320x180", "160x90"]);
  });
});

/** The message a user would read for a refused transcript, in their language. */
function refusal(
  text: string,
  format: "auto" | "vtt" | "srt",
  lang: "en" | "fr",
  durationSeconds: number | null = null,
): string {
  try {
    parseTranscript(text, { format, lang: "en", durationSeconds });
  } catch (error) {
    if (error instanceof UserError) return errorMessage(lang, error.code, error.params);
    throw error;
  }
  throw new Error("the transcript was accepted");
}

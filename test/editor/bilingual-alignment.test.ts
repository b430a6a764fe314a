import { copyFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spokenLanguages } from "../../src/editor/spoken-language.ts";
import { splitTurns } from "../../src/editor/transcript-text.ts";
import { runFfmpeg } from "../../src/media/ffmpeg.ts";
import { addMaster, createItem, sessionCookie } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import {
  cachedMedia,
  englishFixture,
  FIXTURES,
  frenchFixture,
  median,
  type RefSentence,
} from "../media/align/fixtures.ts";

type Segment = {
  start: number | null;
  text: string;
  lang: string;
  spokenLang: string;
  words: { text: string; start: number }[];
};
type ItemAnswer = { transcript: Segment[]; transcriptTiming?: { lang: string; state: string }[] };

const SLOW = 240_000;
// Where the English speech starts in the composed recording: the French clip (34.1 s) padded.
const ENGLISH_AT = 36;

/** A bilingual press conference's sound: the French reader, then an English speaker. */
function bilingualVideo(): Promise<string> {
  return cachedMedia("bilingual-video.mp4", { v: 1, at: ENGLISH_AT }, async (file) => {
    await runFfmpeg([
      ...["-f", "lavfi", "-i", "color=c=navy:s=160x90:r=25"],
      ...["-i", path.join(FIXTURES, "ej-fra.m4a"), "-i", path.join(FIXTURES, "cold_corpus.wav")],
      "-filter_complex",
      `[1:a]aresample=16000,aformat=channel_layouts=mono,apad=whole_dur=${ENGLISH_AT}[fr];` +
        "[2:a]aresample=16000,aformat=channel_layouts=mono[en];[fr][en]concat=n=2:v=0:a=1[a]",
      ...["-map", "0:v", "-map", "[a]", "-shortest", "-c:v", "libx264", "-preset", "ultrafast"],
      ...["-c:a", "aac", "-b:a", "96k", "-y", file],
    ]);
  });
}

/**
 * A bilingual event's as-delivered text (issue 11): French and English paragraphs in one paste,
 * given as French. Each sentence is spoken in its own language's voice to time it; in the French
 * voice alone the English sentences' words came out 0.6 s off (median), and 3 of the 5 English
 * sentences more than 2 s off.
 */
describe("timing a bilingual text in one paste", { timeout: SLOW }, () => {
  let t: TestApp;
  let editor: string;
  let french: RefSentence[];
  let english: RefSentence[];

  beforeAll(async () => {
    t = await startTestApp({}, { work: true });
    editor = await sessionCookie(t, "editor");
    french = (await frenchFixture()).sentences;
    english = (await englishFixture("cold_corpus")).sentences;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("tells the paragraphs' languages apart, keeping short lines with their context", () => {
    const text = [
      "Bonjour.",
      "Je suis programmeur au sein de l'équipe des technologies pour les langues autochtones.",
      "Thank you, and good morning to all of you who came today.",
      "Merci beaucoup.",
      "Questions?",
    ].join("\n\n");
    expect(spokenLanguages(splitTurns(text, "fr"), "fr")).toEqual(["fr", "fr", "en", "fr", "fr"]);
    expect(spokenLanguages(splitTurns(text, "en"), "en")).toEqual(["en", "fr", "en", "en", "en"]);
    // Within a paragraph, a sentence clearly in the other language has its own.
    const mixed =
      "Mesdames et messieurs, je vous remercie d'être venus. Ladies and gentlemen, thank you for coming.";
    expect(spokenLanguages(splitTurns(mixed, "fr"), "fr")).toEqual(["fr", "en"]);
  });

  it("times the English paragraphs of a French text in English, word by word", async () => {
    const video = await bilingualVideo();
    const itemId = await createItem(t.db, { title: { fr: "Conférence bilingue" }, languages: ["fr", "en"] });
    await addMaster(t.db, itemId);
    const copy = path.join(os.tmpdir(), `bilingual-master-${process.pid}-${itemId}.mp4`);
    await copyFile(video, copy);
    await t.deps.storage.putFile(`items/${itemId}/master/master.mp4`, copy);

    const give = (payload: object) =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/items/${itemId}/transcript`,
        payload,
        headers: { cookie: editor },
      });
    // The English part was stored on its own before, with a line the whole text does not hold.
    const notInText = "Our guests from abroad will find the full text on the website.";
    const englishPart = [english[0]!.text, english[1]!.text, notInText].join("\n\n");
    expect((await give({ lang: "en", text: englishPart, timing: "none" })).statusCode).toBe(200);

    const text = [...french, ...english].map((s) => s.text).join("\n\n");
    const res = await give({ lang: "fr", text, timing: "align" });
    expect(res.statusCode, res.body).toBe(202);
    const item = async () =>
      (
        await t.app.inject({ method: "GET", url: `/api/v1/items/${itemId}`, headers: { cookie: editor } })
      ).json() as ItemAnswer;
    await expect
      .poll(async () => (await item()).transcriptTiming?.find((x) => x.lang === "fr")?.state, {
        timeout: SLOW,
        interval: 500,
      })
      .toBe("aligned");

    const all = (await item()).transcript;
    // The English transcript keeps only what the whole text does not hold: nothing shows twice.
    expect(all.filter((s) => s.lang === "en").map((s) => s.text)).toEqual([notInText]);
    const segments = all.filter((s) => s.lang === "fr");
    expect(segments.map((s) => s.text)).toEqual([...french, ...english].map((s) => s.text));
    // Stored in the French transcript, each sentence with the language it is said in.
    expect(segments.map((s) => [s.lang, s.spokenLang])).toEqual([
      ...french.map(() => ["fr", "fr"]),
      ...english.map(() => ["fr", "en"]),
    ]);
    const startErrors = [
      ...french.map((s, i) => Math.abs((segments[i]?.start ?? Number.POSITIVE_INFINITY) - s.start)),
      ...english.map((s, i) =>
        Math.abs((segments[french.length + i]?.start ?? Number.POSITIVE_INFINITY) - (ENGLISH_AT + s.start)),
      ),
    ];
    expect(startErrors.filter((e) => e > 0.5)).toEqual([]);
    const wordErrors = english.flatMap((s, i) =>
      s.words.flatMap((ref, w) => {
        const got = segments[french.length + i]?.words[w];
        return ref === null || !got ? [] : [Math.abs(got.start - (ENGLISH_AT + ref))];
      }),
    );
    expect(wordErrors.length).toBeGreaterThan(50);
    expect(median(wordErrors)).toBeLessThan(0.08);
  });
});

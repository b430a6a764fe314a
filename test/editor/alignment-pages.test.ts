import { copyFile, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plainTextOf } from "../../src/editor/retime.ts";
import { splitSentences, splitTurns } from "../../src/editor/transcript-text.ts";
import { runFfmpeg } from "../../src/media/ffmpeg.ts";
import { addMaster, addTranscript, createItem } from "../catalogue/fixtures.ts";
import { type PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import {
  ANOTHER_SPEECH,
  cachedMedia,
  englishFixture,
  FIXTURES,
  type RefSentence,
} from "../media/align/fixtures.ts";
import { loggedIn } from "./helpers.ts";

// An alignment takes seconds of one core; on a loaded machine, several times that.
const SLOW = 240_000;

type Row = {
  position: number;
  lang: string;
  text: string;
  start_seconds: number | null;
  timing: string | null;
};

/**
 * The editor's pages for transcripts timed automatically (issue 11): paste the as-delivered text
 * with "time it automatically" on, follow the timing on the page, review the flagged sentences,
 * re-time around a corrected start. Real speech (test/fixtures/alignment) on a video master, the
 * job run by the portal's own worker.
 */
describe("timing a transcript automatically from the editor's pages", { timeout: SLOW }, () => {
  let t: TestApp;
  let editor: PageClient;
  let itemId: number;
  let reference: RefSentence[];
  const base = () => `/en/editor/items/${itemId}/transcript`;

  const rows = (id = itemId) =>
    t.db.query<Row>(
      "SELECT position, lang, text, start_seconds, timing FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
      [id],
    );
  const pageText = async (url: string) => textOf((await editor.get(url)).body);
  /** The start fields of the timing page as it shows them, by name. */
  const startFields = (body: string) =>
    Object.fromEntries(
      [...body.matchAll(/<input id="(start_\d+)" name="start_\d+" type="text" value="([^"]*)"/g)].map((m) => [
        m[1]!,
        m[2]!,
      ]),
    );

  beforeAll(async () => {
    t = await startTestApp({}, { work: true });
    editor = await loggedIn(t, "aligner@org.example", "editor");
    reference = (await englishFixture("acoustic_corpus")).sentences;
    const video = await cachedMedia("acoustic-video.mp4", { v: 1 }, async (file) => {
      await runFfmpeg([
        ...["-f", "lavfi", "-i", "color=c=navy:s=160x90:r=25"],
        ...["-i", path.join(FIXTURES, "acoustic_corpus.wav")],
        ...["-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "96k"],
        ...["-map", "0:v", "-map", "1:a", "-y", file],
      ]);
    });
    itemId = await createItem(t.db, { title: { en: "Acoustic corpus" }, durationSeconds: 60 });
    await addMaster(t.db, itemId);
    const copy = path.join(os.tmpdir(), `align-pages-${process.pid}-${itemId}.mp4`);
    await copyFile(video, copy);
    await t.deps.storage.putFile(`items/${itemId}/master/master.mp4`, copy);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("times the pasted text, shows how far it has got, then the result and the sentences to check", async () => {
    const form = await editor.get(base());
    expect(form.body).toMatch(/<input type="checkbox" id="align" name="align" value="on" checked/);
    expect(textOf(form.body)).toContain("Time it automatically against the video's speech");
    const [s1, s2, s3, s4, s5] = reference.map((s) => s.text);
    // A note to the reader first, a heading never said last.
    const text = [
      "(As delivered)",
      `Speaker: ${s1}`,
      `${s2} ${s3}`,
      `${s4} ${s5}`,
      "Questions from the press",
    ].join("\n\n");
    const sent = await editor.submit(`${base()}/text`, { text, text_lang: "en", align: "on" });
    expect(sent.statusCode, sent.body).toBe(303);
    expect(sent.headers.location).toBe(`${base()}?done=aligning`);
    const aligning = await editor.follow(sent);
    expect(textOf(aligning.body)).toMatch(/Timing the English text… \d+ %/);
    expect(aligning.body).toContain(`data-align-watch="/api/v1/items/${itemId}"`);
    expect(aligning.body).toContain('src="/static/build/alignment-watch.js"');

    await expect
      .poll(() => pageText(base()), { timeout: SLOW, interval: 500 })
      .toContain("English text timed automatically on");
    const stored = await rows();
    const flagged = stored.filter((r) => r.timing === "unsure" || r.timing === "unspoken").length;
    // The note is not a sentence to check (found by hand: "(As delivered)" was always "1 sentence
    // to check"); the heading, which might have been said, is.
    expect(stored[0]).toMatchObject({ text: "(As delivered)", timing: null, start_seconds: null });
    expect(stored.at(-1)).toMatchObject({ text: "Questions from the press", timing: "unspoken" });
    const toCheck = flagged === 1 ? "1 sentence to check." : `${flagged} sentences to check.`;
    expect(await pageText(base())).toContain(toCheck);
    expect(await pageText(base())).toContain(flagged === 1 ? "Check it on the timing page" : "Check them on");
    // The page the editor was sent to reloads itself when the timing ends: no "being timed" then.
    expect(textOf(aligning.body)).toContain("The text is being timed against the speech.");
    expect(await pageText(`${base()}?done=aligning`)).not.toContain("is being timed");
    expect(await pageText(`/en/editor/items/${itemId}`)).toContain(
      `English text timed automatically on ${t.clock.now().toISOString().slice(0, 10)}`,
    );

    const timing = textOf((await editor.get(`${base()}/timing`)).body);
    expect(timing).toContain("Questions from the press Not found in the speech");
    expect(timing).not.toContain("(As delivered) Not found in the speech");
    expect(timing).toContain(toCheck);
    // One sentence without a start (the heading), not two: the note has no time to give.
    expect(await pageText(base())).toContain("1 sentence has no start time yet");
    expect(timing).toContain("Re-time the rest around the times I fixed");
  });

  it("re-times the rest around a start the editor corrected, and refuses corrections out of order", async () => {
    const before = await rows();
    // The sentence s3 and the one after it (s4), whose stored starts the page shows.
    const [third, fourth] = [before[3]!, before[4]!];
    const page = await editor.get(`${base()}/timing`);
    const fields = startFields(page.body);
    // Every sentence has its start field; the note "(As delivered)" has none.
    expect(Object.keys(fields)).toHaveLength(before.length - 1);
    expect(fields[`start_${before[0]!.position}`]).toBeUndefined();
    const between = ((third.start_seconds! + fourth.start_seconds!) / 2).toFixed(2);

    const clash = await editor.submit(`${base()}/timing`, {
      ...fields,
      [`start_${third.position}`]: between,
      [`start_${fourth.position}`]: between,
      retime: "1",
    });
    expect(clash.statusCode).toBe(400);
    expect(textOf(clash.body)).toContain(
      "A start you changed must come after the start you changed above it.",
    );
    expect(await rows()).toEqual(before);

    const anchor = Math.round((third.start_seconds! + 0.4) * 25) / 25;
    const retimed = await editor.submit(`${base()}/timing`, {
      ...fields,
      [`start_${third.position}`]: anchor.toFixed(2),
      retime: "1",
    });
    expect(retimed.statusCode, retimed.body).toBe(303);
    expect(retimed.headers.location).toBe(`${base()}?done=aligning`);
    expect(textOf((await editor.follow(retimed)).body)).toContain("Timing the English text…");
    await expect
      .poll(() => pageText(base()), { timeout: SLOW, interval: 500 })
      .toContain("English text timed automatically on");
    const after = await rows();
    // The same sentences, read back from the stored ones, with the corrected start kept.
    expect(after.map((r) => r.text)).toEqual(before.map((r) => r.text));
    expect(Math.abs(after[3]!.start_seconds! - anchor)).toBeLessThan(0.1);
    expect(Math.abs(after[5]!.start_seconds! - reference[4]!.start)).toBeLessThan(1);
    // "Put back the earlier transcript" brings back the one from before the re-time, not the
    // corrected start saved on its way (found by hand), and a second time the re-timed one.
    await editor.get(base());
    expect((await editor.submit(`${base()}/restore`, {})).statusCode).toBe(303);
    expect(await rows()).toEqual(before);
    await editor.get(base());
    expect((await editor.submit(`${base()}/restore`, {})).statusCode).toBe(303);
    expect(await rows()).toEqual(after);

    // A second re-time around another sentence keeps the first correction (found by hand: it
    // was timed again, back to the aligner's start).
    const aligned = () =>
      t.db.query<{ state: string; revision: number }>(
        "SELECT state, revision FROM transcript_alignments WHERE media_item_id = $1 AND lang = 'en'",
        [itemId],
      );
    const { revision } = (await aligned())[0]!;
    const fifth = after[5]!;
    const later = Math.round((fifth.start_seconds! + 0.3) * 25) / 25;
    const again = await editor.submit(`${base()}/timing`, {
      ...startFields((await editor.get(`${base()}/timing`)).body),
      [`start_${fifth.position}`]: later.toFixed(2),
      retime: "1",
    });
    expect(again.statusCode, again.body).toBe(303);
    await expect
      .poll(async () => (await aligned())[0], { timeout: SLOW, interval: 500 })
      .toEqual({ state: "aligned", revision: revision + 1 });
    const twice = await rows();
    expect(twice[3]!.start_seconds).toBe(after[3]!.start_seconds);
    expect(twice[3]!.timing).toBeNull();
    expect(Math.abs(twice[5]!.start_seconds! - later)).toBeLessThan(0.1);

    // A flagged sentence the editor gives a time is theirs: no longer flagged.
    const fresh = startFields((await editor.get(`${base()}/timing`)).body);
    const heading = after.at(-1)!;
    // On the video's frames (25 fps), as the page stores a start.
    const when = (Math.round((after.at(-2)!.start_seconds! + 1) * 25) / 25).toFixed(2);
    const saved = await editor.submit(`${base()}/timing`, { ...fresh, [`start_${heading.position}`]: when });
    expect(saved.statusCode, saved.body).toBe(303);
    expect((await rows()).at(-1)).toMatchObject({
      text: "Questions from the press",
      start_seconds: Number(when),
      timing: null,
    });
    expect(textOf((await editor.follow(saved)).body)).not.toContain(
      "Questions from the press Not found in the speech",
    );
  });

  it("says in French why another speech's text could not be timed, and keeps the transcript", async () => {
    const before = await rows();
    const fr = `/fr/editor/items/${itemId}/transcript`;
    await editor.get(fr);
    // A French text given as English is refused at once, on the language field.
    const french = await readFile(path.join(FIXTURES, "ej-fra.txt"), "utf8");
    const refused = await editor.submit(`${fr}/text`, { text: french, text_lang: "en", align: "on" });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain("Ce texte est en français : choisissez le français comme langue");
    // Another speech, in the video's language, fails in the job: the page says why.
    await editor.get(fr);
    const other = ANOTHER_SPEECH.join("\n\n");
    const sent = await editor.submit(`${fr}/text`, { text: other, text_lang: "en", align: "on" });
    expect(sent.statusCode, sent.body).toBe(303);
    await expect
      .poll(() => pageText(fr), { timeout: SLOW, interval: 500 })
      .toContain("Le texte anglais n'a pas pu être calé :");
    const text = await pageText(fr);
    expect(text).toContain("Le texte ne correspond pas à ce qui est dit dans la vidéo");
    expect(text).toContain("La transcription en place a été conservée.");
    expect(await rows()).toEqual(before);
  });

  it("says at once, on the form and in French, that a video without sound cannot be timed, the text kept", async () => {
    const silent = await createItem(t.db, { title: { en: "No sound" } });
    await addMaster(t.db, silent, { audioLabels: [] });
    const url = `/fr/editor/items/${silent}/transcript`;
    await editor.get(url);
    const text = "Ministre : Bonjour à toutes et à tous.";
    const sent = await editor.submit(`${url}/text`, { text, text_lang: "fr", align: "on" });
    expect(sent.statusCode).toBe(400);
    expect(textOf(sent.body)).toContain("Cette vidéo n’a pas de piste son sur laquelle caler le texte.");
    expect(sent.body).toContain("Bonjour à toutes et à tous.");
    expect(await rows(silent)).toEqual([]);
    const [request] = await t.db.query("SELECT 1 FROM transcript_alignments WHERE media_item_id = $1", [
      silent,
    ]);
    expect(request).toBeUndefined();
  });

  it("stores a text untimed when the box is unticked, keeping the other language, and is for editors only", async () => {
    const other = await createItem(t.db, { title: { en: "Bilingual" } });
    await addTranscript(t.db, other, [{ start: 0, end: 1, text: "Bonjour.", lang: "fr" }]);
    const url = `/en/editor/items/${other}/transcript`;
    await editor.get(url);
    const sent = await editor.submit(`${url}/text`, { text: "Minister: Good morning.", text_lang: "en" });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${url}/timing?done=split`);
    expect((await rows(other)).map((r) => [r.lang, r.text, r.timing])).toEqual([
      ["fr", "Bonjour.", null],
      ["en", "Good morning.", null],
    ]);
    const media = await loggedIn(t, "journalist@press.example", "media");
    expect((await media.get(base())).statusCode).toBe(403);
    expect((await media.get(`${base()}/timing`)).statusCode).toBe(403);
    const posted = await media.submit(`${base()}/text`, { text: "Hello.", text_lang: "en", align: "on" });
    expect(posted.statusCode).toBe(403);
  });
});

describe("the text re-timed around corrected starts", () => {
  const text = [
    "(As delivered)",
    "Jane Doe: Good morning. Note: the budget grows.",
    "Q (Reuters): What about the budget? And the timing?",
    "Mr. Smith: It grows.",
  ].join("\n\n");

  it("reads back as the same sentences, speakers and questions, a sentence that looks like a label included", () => {
    const stored = splitSentences(splitTurns(text, "en"), "en");
    expect(stored.map((s) => s.text)).toContain("Note: the budget grows.");
    const plain = plainTextOf(stored, "en")!;
    expect(splitSentences(splitTurns(plain.text, "en"), "en")).toEqual(stored);
    expect(plain.firstSentence).toEqual(stored.map((_, i) => i));
  });

  it("points anchors at the first sentence of a stored turn of several", () => {
    const turns = splitTurns(text, "en");
    const plain = plainTextOf(turns, "en")!;
    expect(splitTurns(plain.text, "en")).toEqual(turns);
    expect(plain.firstSentence).toEqual([0, 1, 3, 5]);
  });
});

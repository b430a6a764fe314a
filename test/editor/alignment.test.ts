import { copyFile, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMaster, addTranscript, createItem, sessionCookie } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { ANOTHER_SPEECH, englishFixture, FIXTURES, type RefSentence } from "../media/align/fixtures.ts";
import { speechVideo } from "./speech-video.ts";

type Segment = {
  start: number | null;
  end: number | null;
  lang: string;
  text: string;
  words: { text: string; start: number; end: number }[];
  review?: string;
};
type Timing = {
  lang: string;
  state: string;
  progress: number;
  reason: { code: string; message: string } | null;
};
type ItemAnswer = { transcript: Segment[]; transcriptTiming?: Timing[] };

// An alignment takes seconds of one core; on a loaded machine, several times that.
const SLOW = 240_000;

/**
 * Transcripts timed automatically (issue 11) through the API and the job, on real human speech
 * (test/fixtures/alignment) carried by a video master: the text given, the job run by the
 * portal's own worker, the sentences and words stored and shown.
 */
describe("timing a plain-text transcript against the item's audio", { timeout: SLOW }, () => {
  let t: TestApp;
  let editor: string;
  let itemId: number;
  let reference: RefSentence[];

  const get = async (id: number, lang = "en") => {
    const res = await t.app.inject({
      method: "GET",
      url: `/api/v1/items/${id}`,
      headers: { cookie: editor, "accept-language": lang },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ItemAnswer;
  };
  const give = (id: number, body: object, cookie = editor, lang = "en") =>
    t.app.inject({
      method: "POST",
      url: `/api/v1/items/${id}/transcript`,
      payload: body,
      headers: { cookie, "accept-language": lang },
    });
  const timingOf = async (id: number, lang: string) =>
    (await get(id)).transcriptTiming?.find((x) => x.lang === lang)?.state;

  beforeAll(async () => {
    t = await startTestApp({}, { work: true });
    editor = await sessionCookie(t, "editor");
    const fixture = await englishFixture("acoustic_corpus");
    reference = fixture.sentences;
    const video = await speechVideo();
    itemId = await createItem(t.db, { title: { en: "Acoustic corpus" }, languages: ["en"] });
    await addMaster(t.db, itemId);
    const copy = path.join(os.tmpdir(), `align-master-${process.pid}-${itemId}.mp4`);
    await copyFile(video, copy);
    await t.deps.storage.putFile(`items/${itemId}/master/master.mp4`, copy);
    await addTranscript(t.db, itemId, [
      { start: null, end: null, text: "An old English sentence.", lang: "en" },
      { start: 1, end: 2, text: "Une phrase en français, gardée.", lang: "fr" },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("answers 202 at once, then stores the sentences' and words' times in place of that language's", async () => {
    // A speech's paragraphs hold several sentences: each is timed on its own.
    const [s1, s2, s3, s4, s5] = reference.map((s) => s.text);
    const text = ["(As delivered)", `Speaker: ${s1}`, `${s2} ${s3}`, `${s4} ${s5}`].join("\n\n");
    const res = await give(itemId, { lang: "en", text, timing: "align" });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().timing).toMatchObject({ lang: "en", state: "aligning", reason: null });
    await expect.poll(() => timingOf(itemId, "en"), { timeout: SLOW, interval: 500 }).toBe("aligned");

    const after = await get(itemId);
    const english = after.transcript.filter((s) => s.lang === "en");
    expect(english.map((s) => s.text)).toEqual(["(As delivered)", ...reference.map((s) => s.text)]);
    // The annotation is a note to the reader: not stretched over the speech, nor a sentence to check.
    expect(english[0]).toMatchObject({ start: null, end: null, words: [] });
    expect(english[0]).not.toHaveProperty("review");
    const errors = english
      .slice(1)
      .map((s, i) => Math.abs((s.start ?? Number.POSITIVE_INFINITY) - reference[i]!.start));
    expect(Math.max(...errors)).toBeLessThan(1);
    for (const sentence of english.slice(1)) {
      expect(sentence.words.map((w) => w.text).join(" ")).toBe(sentence.text);
      expect(sentence.words[0]!.start).toBeCloseTo(sentence.start!, 3);
      for (const w of sentence.words) expect(w.end).toBeGreaterThan(w.start);
    }
    // The other language's sentences are kept, in time order with the new ones.
    expect(after.transcript.filter((s) => s.lang === "fr").map((s) => s.text)).toEqual([
      "Une phrase en français, gardée.",
    ]);
    expect(after.transcriptTiming).toEqual([
      expect.objectContaining({ lang: "en", state: "aligned", progress: 100 }),
    ]);
  });

  it("says in the editor's language why a text could not be timed, and keeps the timed transcript", async () => {
    const before = (await get(itemId)).transcript;
    // Another speech, in the video's language.
    const other = ANOTHER_SPEECH.join("\n\n");
    const res = await give(itemId, { lang: "en", text: other, timing: "align" }, editor, "fr");
    expect(res.statusCode, res.body).toBe(202);
    await expect.poll(() => timingOf(itemId, "en"), { timeout: SLOW, interval: 500 }).toBe("failed");
    const after = await get(itemId, "fr");
    const timing = after.transcriptTiming!.find((x) => x.lang === "en")!;
    expect(timing.reason?.code).toBe("TextNotMatching");
    expect(timing.reason?.message).toContain("Le texte ne correspond pas");
    expect(after.transcript).toEqual(before);
  });

  it("refuses what cannot be timed with a clear message, and is for editors only", async () => {
    const empty = await give(itemId, { lang: "en", text: "  \n\n ", timing: "align" });
    expect(empty.statusCode).toBe(400);
    // A French text given as English: said at once, timed or not (a text in both is given as either).
    const french = await readFile(path.join(FIXTURES, "ej-fra.txt"), "utf8");
    for (const timing of ["align", "none"]) {
      const wrong = await give(itemId, { lang: "en", text: french, timing }, editor, "fr");
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.fields.lang).toEqual([
        "Ce texte est en français : choisissez le français comme langue (un texte dans les deux langues se donne dans l’une ou l’autre).",
      ]);
    }
    const huge = await give(itemId, { lang: "en", text: "Word. ".repeat(400_000), timing: "align" });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error).toMatchObject({ code: "align_text_too_long" });
    expect(huge.json().error.message).toContain("2,400,000 characters, at most 200,000");
    const hugeFr = await give(
      itemId,
      { lang: "en", text: "Word. ".repeat(400_000), timing: "align" },
      editor,
      "fr",
    );
    expect(hugeFr.json().error.message).toContain("2\u202f400\u202f000 caractères");
    const photo = await createItem(t.db, { mediaType: "photo", kind: "photo-opportunity" });
    expect((await give(photo, { lang: "en", text: "Hello.", timing: "align" })).statusCode).toBe(400);
    const media = await sessionCookie(t, "media");
    expect((await give(itemId, { lang: "en", text: "Hello.", timing: "align" }, media)).statusCode).toBe(403);
    expect((await give(999_999, { lang: "en", text: "Hello.", timing: "align" })).statusCode).toBe(404);
    // A media user sees the timed words, not the review flags.
    const asMedia = await t.app.inject({
      method: "GET",
      url: `/api/v1/items/${itemId}`,
      headers: { cookie: media },
    });
    const body = asMedia.json() as ItemAnswer;
    expect(body.transcriptTiming).toBeUndefined();
    expect(body.transcript.some((s) => s.review !== undefined)).toBe(false);
  });

  it("stores a text untimed at once when asked, replacing only that language", async () => {
    const other = await createItem(t.db, { title: { en: "Untimed" } });
    await addTranscript(t.db, other, [{ start: 0, end: 1, text: "Bonjour.", lang: "fr" }]);
    const res = await give(other, {
      lang: "en",
      text: "Minister: Good morning.\n\nThank you.",
      timing: "none",
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ sentences: 2 });
    const stored = await get(other);
    expect(stored.transcript.map((s) => [s.lang, s.text])).toEqual([
      ["fr", "Bonjour."],
      ["en", "Good morning."],
      ["en", "Thank you."],
    ]);

    // The transcript it replaced can be put back, and then this one again.
    const restore = (id: number, cookie = editor) =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/items/${id}/transcript/restore`,
        headers: { cookie, "x-requested-with": "fetch", "accept-language": "fr" },
      });
    const back = await restore(other);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toEqual({ sentences: 1 });
    expect((await get(other)).transcript.map((s) => s.text)).toEqual(["Bonjour."]);
    expect((await restore(other)).json()).toEqual({ sentences: 3 });
    expect((await get(other)).transcript.map((s) => s.text)).toEqual([
      "Bonjour.",
      "Good morning.",
      "Thank you.",
    ]);
    const fresh = await createItem(t.db, { title: { en: "Nothing to put back" } });
    const nothing = await restore(fresh);
    expect(nothing.statusCode).toBe(409);
    expect(nothing.json().error).toMatchObject({
      code: "transcript_nothing_to_restore",
      message: "Il n’y a pas de transcription antérieure à remettre.",
    });
    expect((await restore(other, await sessionCookie(t, "media"))).statusCode).toBe(403);
    expect((await restore(999_999)).statusCode).toBe(404);
  });

  // A bilingual event's text: the English paragraph belongs to the French transcript and is said
  // in English. Pages mark it so (a screen reader then says it in English: WCAG "language of
  // parts"), and the API tells it apart; a short line stays with its context.
  it("tells which sentences of a bilingual text are said in the other language, in the API and on the page", async () => {
    const bilingual = await createItem(t.db, {
      title: { fr: "Conférence bilingue" },
      languages: ["fr", "en"],
    });
    const text = [
      "Ministre : Mesdames et messieurs, merci à vous tous pour votre présence ce matin.",
      "Minister: I would like to thank all of you who came this morning, and especially our colleagues from abroad, as we are increasing our support.",
      "Merci.",
    ].join("\n\n");
    expect((await give(bilingual, { lang: "fr", text, timing: "none" })).statusCode).toBe(200);
    const stored = (await get(bilingual)).transcript as (Segment & { spokenLang: string })[];
    expect(stored.map((s) => [s.lang, s.spokenLang])).toEqual([
      ["fr", "fr"],
      ["fr", "en"],
      ["fr", "fr"],
    ]);
    const page = await t.app.inject({ method: "GET", url: `/fr/items/${bilingual}` });
    expect(page.statusCode).toBe(200);
    const said = [...page.body.matchAll(/<span class="sentence"[^>]*?(?: lang="(\w+)")?>([^<]*)</g)].map(
      (m) => [m[2], m[1] ?? "fr"],
    );
    expect(said).toEqual([
      ["Mesdames et messieurs, merci à vous tous pour votre présence ce matin.", "fr"],
      [
        "I would like to thank all of you who came this morning, and especially our colleagues from abroad, as we are increasing our support.",
        "en",
      ],
      ["Merci.", "fr"],
    ]);
    // Its words are read as English: French stemming kept "increasing" whole, which "increase"
    // did not find, inside the item or across the archive.
    const inside = await t.app.inject({
      method: "GET",
      url: `/api/v1/items/${bilingual}/transcript/search?q=increase`,
    });
    expect(inside.statusCode, inside.body).toBe(200);
    expect(
      inside.json().matches.map((m: { position: number; spokenLang: string }) => [m.position, m.spokenLang]),
    ).toEqual([[1, "en"]]);
    const archive = (await t.app.inject({ method: "GET", url: "/api/v1/search?q=increase" })).json();
    const found = archive.results.find((r: { item: { id: number } }) => r.item.id === bilingual);
    expect(found?.hits.map((h: { lang: string; spokenLang: string }) => [h.lang, h.spokenLang])).toEqual([
      ["fr", "en"],
    ]);
  });
});
